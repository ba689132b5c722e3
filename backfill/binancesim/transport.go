package binancesim

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"syscall"
)

// Transport returns an http.RoundTripper that calls the fake in-process,
// without a listener: for tests under testing/synctest, whose fake clock
// cannot drive real sockets. A dropped connection comes back as
// ECONNRESET, as from a socket.
func (s *Server) Transport() http.RoundTripper { return inProcess{s} }

type inProcess struct{ s *Server }

func (t inProcess) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	defer func() {
		if r := recover(); r != nil {
			if r != http.ErrAbortHandler {
				panic(r)
			}
			resp, err = nil, &droppedError{}
		}
	}()
	t.s.ServeHTTP(rec, req)
	res := rec.Result()
	res.Request = req
	return res, nil
}

type droppedError struct{}

func (*droppedError) Error() string     { return "read: connection reset by peer" }
func (*droppedError) Is(err error) bool { return errors.Is(err, syscall.ECONNRESET) }
