"""After the decision: familiarization, refusal acts, remote notice, appeals and consequences."""
