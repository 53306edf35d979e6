// The mapping language's syntax tree (filled in below).
