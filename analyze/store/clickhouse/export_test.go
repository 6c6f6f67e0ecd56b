package clickhouse

// SetMaxInlineIDs lowers maxInlineIDs for a test and returns the undo.
func SetMaxInlineIDs(n int) func() {
	old := maxInlineIDs
	maxInlineIDs = n
	return func() { maxInlineIDs = old }
}
