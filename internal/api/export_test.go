package api

// RouteInfo is what the authorization matrix needs of a route.
type RouteInfo struct {
	Method, Path string
	Public       bool
}

// Routes lists the API's route table for tests outside the package.
func Routes() []RouteInfo {
	out := make([]RouteInfo, len(routes))
	for i, rt := range routes {
		out[i] = RouteInfo{rt.Method, rt.Path, rt.Public}
	}
	return out
}
