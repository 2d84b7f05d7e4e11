import Foundation

/// Global collection statistics BM25F needs: from the statistics rollup in a federation, or
/// computed by a `LocalIndex`.
public struct CollectionStatistics: Codable, Hashable, Sendable {
    /// Number of documents N.
    public var documentCount: Int
    /// Average indexed length per `Field`, in `Field` order.
    public var averageFieldLengths: [Double]

    public init(documentCount: Int, averageFieldLengths: [Double]) {
        self.documentCount = documentCount
        self.averageFieldLengths = averageFieldLengths
    }
}

/// BM25F weights and saturation, per field in `Field` order.
public struct BM25FParameters: Hashable, Sendable {
    public var k1: Double
    /// Field weights; defaults: title 3, tags 2, category 1.5, summary 1, activities 0.5.
    public var weights: [Double]
    /// Length normalization per field; defaults: 0.5 for the short fields, 0.75 for summary
    /// and activities.
    public var b: [Double]

    public init(k1: Double = 1.2, weights: [Double] = [3, 2, 1.5, 1, 0.5], b: [Double] = [0.5, 0.5, 0.5, 0.75, 0.75]) {
        self.k1 = k1
        self.weights = weights
        self.b = b
    }

    public static let standard = BM25FParameters()
}

/// BM25F (Robertson, Zaragoza, Taylor, "Simple BM25 extension to multiple weighted fields",
/// CIKM 2004): field frequencies are length-normalized per field, weighted, summed into one
/// pseudo-frequency, then saturated once with k1. Pure.
public enum BM25F {
    /// idf = ln(1 + (N − df + 0.5) / (df + 0.5)), never negative.
    public static func idf(documentFrequency df: Int, documentCount n: Int) -> Double {
        log(1 + (Double(n) - Double(df) + 0.5) / (Double(df) + 0.5))
    }

    /// The pseudo term frequency Σ_f w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f).
    public static func pseudoFrequency(tf: [Int], lengths: [Int], statistics: CollectionStatistics,
                                       parameters: BM25FParameters = .standard) -> Double {
        var sum = 0.0
        for f in 0..<min(tf.count, parameters.weights.count) where tf[f] > 0 {
            let average = f < statistics.averageFieldLengths.count ? statistics.averageFieldLengths[f] : 0
            let length = f < lengths.count ? Double(lengths[f]) : 0
            let norm = average > 0 ? 1 - parameters.b[f] + parameters.b[f] * length / average : 1
            sum += parameters.weights[f] * Double(tf[f]) / norm
        }
        return sum
    }

    /// One term's contribution to one document's score: idf · tf~ / (k1 + tf~).
    public static func termScore(tf: [Int], lengths: [Int], documentFrequency df: Int,
                                 statistics: CollectionStatistics, parameters: BM25FParameters = .standard) -> Double {
        let pseudo = pseudoFrequency(tf: tf, lengths: lengths, statistics: statistics, parameters: parameters)
        guard pseudo > 0 else { return 0 }
        return idf(documentFrequency: df, documentCount: statistics.documentCount) * pseudo / (parameters.k1 + pseudo)
    }
}
