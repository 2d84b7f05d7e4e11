// CourseMesh
