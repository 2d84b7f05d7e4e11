/// The version this binary reports in `--version`, `/api/v1/node` and the `Server` header.
public enum CourseMeshVersion {
    public static let current = "0.1.0"
}

