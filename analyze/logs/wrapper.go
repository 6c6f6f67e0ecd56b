package logs

import "github.com/costctl/costctl/analyze"

// wrapperFields are the fields a user's logger may add around a provider
// response ({"timestamp": …, "customer": …, "response": {…}}), either at the
// top level or in a "metadata" object. Top-level values win.
type wrapperFields struct {
	Timestamp timeValue        `json:"timestamp"`
	Metadata  *wrapperMetadata `json:"metadata"`
	wrapperMetadata
}

// wrapperMetadata holds the business dimensions a wrapper can carry.
type wrapperMetadata struct {
	Endpoint  flexString `json:"endpoint"`
	Tier      flexString `json:"tier"`
	Customer  flexString `json:"customer"`
	User      flexString `json:"user"`
	SessionID flexString `json:"session_id"`
	Workspace flexString `json:"workspace"`
	Project   flexString `json:"project"`
	APIKey    flexString `json:"api_key"`
}

// apply sets r's dimensions and, when the wrapper has one, its time.
func (w *wrapperFields) apply(r *analyze.Request) error {
	t, err := w.Timestamp.check("timestamp")
	if err != nil {
		return err
	}
	if !t.IsZero() {
		r.Time = t
	}

	w.wrapperMetadata.apply(r)
	if w.Metadata != nil {
		w.Metadata.apply(r)
	}
	return nil
}

// apply sets each dimension of r that is still empty.
func (m *wrapperMetadata) apply(r *analyze.Request) {
	setIfEmpty(&r.Endpoint, m.Endpoint)
	setIfEmpty(&r.Tier, m.Tier)
	setIfEmpty(&r.Customer, m.Customer)
	setIfEmpty(&r.User, m.User)
	setIfEmpty(&r.Session, m.SessionID)
	setIfEmpty(&r.Workspace, m.Workspace)
	setIfEmpty(&r.Project, m.Project)
	setIfEmpty(&r.APIKey, m.APIKey)
}

func setIfEmpty(dst *string, v flexString) {
	if *dst == "" {
		*dst = string(v)
	}
}

// isWrapped reports whether a probed record is a wrapper around a response.
func (p *probe) isWrapped() bool { return p.inner != nil }
