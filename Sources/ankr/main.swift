print("ankr")
