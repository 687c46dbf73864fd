"""一单两库: departments, the inspection item list, the inspector and object rosters."""
