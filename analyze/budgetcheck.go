package analyze

// BudgetCheckSchemaVersion versions the document of check --month-to-date.
const BudgetCheckSchemaVersion = 1

// BudgetCheck is the document `check --month-to-date` writes: the month's
// spend and forecast, each configured budget held against them, and the
// worst status, which decides the exit code.
type BudgetCheck struct {
	Kind              string         `json:"kind"`
	SchemaVersion     int            `json:"schema_version"`
	PriceTableVersion string         `json:"price_table_version"`
	GeneratedBy       string         `json:"generated_by"`
	Status            string         `json:"status"`
	MonthToDate       MonthToDate    `json:"month_to_date"`
	Budgets           []BudgetResult `json:"budgets"`
}

// NewBudgetCheck holds the budgets against the spend.
func NewBudgetCheck(b MonthlyBudgets, s MonthToDateSpend, priceTableVersion, generatedBy string) *BudgetCheck {
	results := EvaluateBudgets(b, s)
	if results == nil {
		results = []BudgetResult{}
	}
	return &BudgetCheck{
		Kind: "budget_check", SchemaVersion: BudgetCheckSchemaVersion,
		PriceTableVersion: priceTableVersion, GeneratedBy: generatedBy,
		Status: WorstBudgetStatus(results), MonthToDate: s.Total, Budgets: results,
	}
}

// Empty reports whether no budget is configured at all.
func (b MonthlyBudgets) Empty() bool {
	return b.Total.Warn == nil && b.Total.Fail == nil && len(b.Endpoint) == 0 && len(b.Customer) == 0
}
