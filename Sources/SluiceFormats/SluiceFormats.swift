// SluiceFormats
