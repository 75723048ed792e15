"""Pages of what follows the approval: the servant's own page, HR's familiarization board, the
refusal act and remote notice forms, the reviewer's appeals, revisions and consequences."""
