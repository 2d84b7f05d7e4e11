<?php
// This file is part of Moodle - https://moodle.org/
//
// Moodle is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.
//
// Moodle is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// You should have received a copy of the GNU General Public License
// along with Moodle.  If not, see <https://www.gnu.org/licenses/>.

namespace local_coursemesh;

/**
 * A CourseMesh API call that did not succeed: the service's own error (status, code, message
 * from its {"error":{"code","message"}} body), an unexpected answer, or no answer at all
 * (status 0, code "unreachable").
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class api_exception extends \RuntimeException {
    /** @var string Code used when no HTTP response was received. */
    public const UNREACHABLE = 'unreachable';
    /** @var string Code used when the plugin is not configured (no URL or no token). */
    public const NOT_CONFIGURED = 'not_configured';
    /** @var string Code used when a 2xx answer is not the JSON the contract promises. */
    public const BAD_RESPONSE = 'bad_response';

    /**
     * @param int $status HTTP status, 0 when there was no HTTP answer.
     * @param string $errorcode Machine-readable code, e.g. "unauthorized", "unknown_course".
     * @param string $message What went wrong and, where known, what to do about it.
     * @param \Throwable|null $previous Underlying cause.
     */
    public function __construct(
        /** @var int HTTP status, 0 when there was no HTTP answer. */
        public readonly int $status,
        /** @var string Machine-readable error code. */
        public readonly string $errorcode,
        string $message,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, $status, $previous);
    }

    /**
     * Whether trying the same call again later may succeed: no answer, timeouts, throttling,
     * server errors, and credentials that an administrator can still fix (401, 403).
     * Validation errors (400, 413), missing configuration and unexpected answers are final.
     *
     * @return bool
     */
    public function is_retryable(): bool {
        if ($this->errorcode === self::NOT_CONFIGURED || $this->errorcode === self::BAD_RESPONSE) {
            return false;
        }
        return $this->status === 0 || in_array($this->status, [401, 403, 408, 425, 429], true)
            || $this->status >= 500;
    }
}
