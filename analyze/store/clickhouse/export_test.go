package clickhouse

// SetMaxInlineIDs lowers maxInlineIDs for a test and returns the undo.
func SetMaxInlineIDs(n int) func() {
	old := maxInlineIDs
	maxInlineIDs = n
	return func() { maxInlineIDs = old }
}

// RequestColumns lists the requests table's columns in write order.
var RequestColumns = requestColumns

// BillingColumns lists the billing table's columns in write order.
func BillingColumns() []string { return billingColumns }
