// MeshHTTP
