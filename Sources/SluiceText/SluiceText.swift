// SluiceText
