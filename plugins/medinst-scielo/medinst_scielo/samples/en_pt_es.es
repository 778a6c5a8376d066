No leído.
