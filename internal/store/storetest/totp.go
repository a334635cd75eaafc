package storetest

import (
	"context"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
)

// TOTPStepsStore is what the TOTP step contract needs.
type TOTPStepsStore interface {
	store.UserStore
	store.TOTPStepStore
}

// RunTOTPSteps runs the store.TOTPStepStore contract.
func RunTOTPSteps(t *testing.T, newStore func(t *testing.T) TOTPStepsStore) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateUser(t, s, "a@example.org", content.RoleEditor)
		b := MustCreateUser(t, s, "b@example.org", content.RoleEditor)
		for _, tc := range []struct {
			user *content.User
			step int64
			want bool
		}{
			{a, 100, true},
			{a, 100, false}, // the same code again
			{a, 99, false},  // an older code
			{b, 100, true},  // steps are per user
			{a, 101, true},
			{a, 100, false},
		} {
			got, err := s.AcceptTOTPStep(ctx, tc.user.ID, tc.step)
			if err != nil {
				t.Fatalf("AcceptTOTPStep(%d, %d): %v", tc.user.ID, tc.step, err)
			}
			if got != tc.want {
				t.Errorf("AcceptTOTPStep(%d, %d) = %v, want %v", tc.user.ID, tc.step, got, tc.want)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := newStore(t)
		_, err := s.AcceptTOTPStep(ctx, 4242, 1)
		if code := content.ErrorCode(err); code != content.ENOTFOUND {
			t.Fatalf("AcceptTOTPStep(missing) = %v (code %q), want not_found", err, code)
		}
	})
}
