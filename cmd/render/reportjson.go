package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/costctl/costctl/analyze"
)

// cellsMarker is the top-level cells array of an indented report with no
// cells. Only top-level keys are indented by exactly two spaces, and JSON
// strings carry no raw newline, so it occurs once.
const cellsMarker = "\n  \"cells\": []"

// reportJSON writes rep as JSON(w, rep) would. A report built with
// analyze.ReportOptions.StreamCells has its cells built while they are
// written. For it, reportJSON encodes the rest of the document first and
// then writes each cell as it is built, so memory holds one cell document
// at a time instead of all of them and their text.
func reportJSON(w io.Writer, rep *analyze.Report) error {
	if !rep.StreamsCells() {
		return JSON(w, rep)
	}

	var rest bytes.Buffer
	if err := JSON(&rest, rep); err != nil {
		return err
	}
	doc := rest.Bytes()
	at := bytes.Index(doc, []byte(cellsMarker))
	if at < 0 {
		return errors.New("write report: the document has no top-level cells array")
	}

	bw := bufio.NewWriterSize(w, 1<<16)
	bw.Write(doc[:at])
	bw.WriteString("\n  \"cells\": [")
	n, err := writeCellDocs(bw, rep)
	if err != nil {
		return err
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]")
	bw.Write(doc[at+len(cellsMarker):])
	return bw.Flush()
}

// writeCellDocs writes the cell documents as the elements of an array nested
// one level below the top, as json.Encoder indents them.
func writeCellDocs(bw *bufio.Writer, rep *analyze.Report) (int, error) {
	n := 0
	err := rep.EachCell(func(c *analyze.CellDoc) error {
		text, err := json.MarshalIndent(c, "    ", "  ")
		if err != nil {
			return err
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(text)
		n++
		return nil
	})
	return n, err
}
