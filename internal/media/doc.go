// Package media owns uploaded files: it checks that an upload is a raster
// image of an accepted type and size, stores it under the media root and
// records it through store.MediaStore, and opens stored files for serving.
//
// Types are detected from the bytes, never from the file name. SVG is refused
// because it can carry script.
//
// It imports content and store (interfaces only); never HTTP handler packages.
package media
