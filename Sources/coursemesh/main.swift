print("coursemesh")
