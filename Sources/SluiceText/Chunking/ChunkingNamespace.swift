// Chunking: strategies, size units, tokenizers.
