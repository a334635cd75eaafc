package api

import (
	"errors"
	"log/slog"
	"net/http"

	"folio/internal/content"
)

// HTTP-level error codes, beside content's. They never leave this package.
const (
	codeBadRequest       = "bad_request"
	codeUnsupportedMedia = "unsupported_media_type"
	codeMethodNotAllowed = "method_not_allowed"
	codeTooMany          = "too_many_requests"
)

// statusOf maps every error code to its HTTP status. Unknown codes are 500.
var statusOf = map[string]int{
	codeBadRequest:        http.StatusBadRequest,
	content.EUNAUTHORIZED: http.StatusUnauthorized,
	content.EFORBIDDEN:    http.StatusForbidden,
	content.ENOTFOUND:     http.StatusNotFound,
	codeMethodNotAllowed:  http.StatusMethodNotAllowed,
	content.ECONFLICT:     http.StatusConflict,
	content.EGONE:         http.StatusGone,
	content.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	codeUnsupportedMedia:  http.StatusUnsupportedMediaType,
	codeTooMany:           http.StatusTooManyRequests,
	content.EINVALID:      http.StatusUnprocessableEntity,
	content.EINTERNAL:     http.StatusInternalServerError,
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func badRequest(format string, args ...any) *content.Error {
	return content.Errorf(codeBadRequest, format, args...)
}

// writeError is the one place an error becomes a response. Internal errors
// are logged here, once, and answered with a generic message.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = content.Errorf(content.ETOOLARGE, "request body is larger than %d bytes", tooBig.Limit)
	}
	code := content.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		code, status = content.EINTERNAL, http.StatusInternalServerError
	}
	body := errorBody{Error: errorDetail{Code: code, Message: content.ErrorMessage(err), Fields: content.ErrorFields(err)}}
	if status == http.StatusInternalServerError {
		a.log.ErrorContext(r.Context(), "api: internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
		body.Error = errorDetail{Code: content.EINTERNAL, Message: "Internal error."}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="folio"`)
	}
	writeJSON(w, status, body)
}
