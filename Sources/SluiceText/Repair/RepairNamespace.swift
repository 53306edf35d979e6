// Repair: charset detection, mojibake repair, normalisation.
