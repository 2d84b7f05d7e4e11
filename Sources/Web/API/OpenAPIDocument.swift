/// The OpenAPI 3.1 document served at `/api/v1/openapi.json`: the bytes of Docs/openapi.json,
/// compiled in (Sources/Web/Resources/openapi.json links to it), so what is served is what is documented.
public enum OpenAPIDocument {
    public static var bytes: [UInt8] { PackageResources.openapi_json }
}
