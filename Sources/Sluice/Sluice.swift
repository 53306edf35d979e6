// Sluice
