#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// The thread-local slot that tells a loop's thread which loop it runs.
private let currentLoopKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// An event loop as a Swift task executor (SE-0417): a handler task that prefers it runs its
/// jobs on the loop's thread between readiness events, so a handler that mostly waits on
/// peers is resumed by the thread that read the reply, without waking a pool thread, and sends
/// its own requests through `client` from that thread. Jobs must not block: they share the
/// thread with every connection of the loop.
extension EventLoop: TaskExecutor {
    /// The loop whose thread is running the caller, if any.
    static var current: EventLoop? {
        pthread_getspecific(currentLoopKey).map { Unmanaged<EventLoop>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Whether the caller runs on this loop's thread.
    var isCurrent: Bool { pthread_getspecific(currentLoopKey) == Unmanaged.passUnretained(self).toOpaque() }

    /// Marks the calling thread as this loop's (once, at the start of `run`).
    func becomeCurrent() { pthread_setspecific(currentLoopKey, Unmanaged.passUnretained(self).toOpaque()) }

    /// Runs `job` on the loop thread: after the current batch of events when enqueued from the
    /// loop itself, else after waking the loop. Once the loop has stopped, jobs run on Swift's
    /// global executor instead, so no task is left suspended forever.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if isCurrent {
            localJobs.append(job)
            return
        }
        let accepted = remoteJobs.withLock { queue -> Bool in
            guard !queue.closed else { return false }
            queue.jobs.append(job)
            return true
        }
        guard accepted else { return Self.runElsewhere(job) }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Runs every queued job, including those the jobs themselves enqueue (loop thread only).
    func runJobs() {
        let remote = remoteJobs.withLock { queue -> [UnownedJob] in
            let taken = queue.jobs
            queue.jobs.removeAll()
            return taken
        }
        localJobs.append(contentsOf: remote)
        while !localJobs.isEmpty {
            let batch = localJobs
            localJobs.removeAll(keepingCapacity: true)
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }

    /// Moves the jobs still queued to the global executor when the loop stops (loop thread).
    func handOffJobs() {
        runJobs()
        let left = remoteJobs.withLock { queue -> [UnownedJob] in
            queue.closed = true
            let taken = queue.jobs
            queue.jobs.removeAll()
            return taken
        }
        for job in left + localJobs { Self.runElsewhere(job) }
        localJobs.removeAll()
    }

    private static func runElsewhere(_ job: UnownedJob) {
        DispatchQueue.global().async { job.runSynchronously(on: globalConcurrentExecutor.asUnownedTaskExecutor()) }
    }
}

/// The jobs other threads hand an event loop, and whether it still takes them.
struct RemoteJobs {
    var jobs: [UnownedJob] = []
    var closed = false
}
