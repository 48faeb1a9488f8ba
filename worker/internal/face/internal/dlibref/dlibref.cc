// go-face's recognition steps, one at a time: for checking a model on
// pre-aligned chips and for timing each stage.
#include <dlib/dnn.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <chrono>
#include <exception>
#include <string.h>
#include "dlibref.h"

using namespace dlib;

#include "anet.h"  // the network type go-face declares

struct dlibref {
	anet_type net;
	shape_predictor sp;
	frontal_face_detector detector;
	bool has_sp = false;
};

extern "C" dlibref* dlibref_load(const char* net_path, const char* sp_path, char** err) {
	try {
		dlibref* n = new dlibref;
		deserialize(net_path) >> n->net;
		if (sp_path) {
			deserialize(sp_path) >> n->sp;
			n->detector = get_frontal_face_detector();
			n->has_sp = true;
		}
		return n;
	} catch (std::exception& e) {
		*err = strdup(e.what());
		return nullptr;
	}
}

static matrix<rgb_pixel> to_matrix(const unsigned char* rgb, long h, long w) {
	matrix<rgb_pixel> img(h, w);
	for (long r = 0; r < h; ++r)
		for (long c = 0; c < w; ++c) {
			const unsigned char* p = rgb + 3 * (r * w + c);
			img(r, c) = rgb_pixel(p[0], p[1], p[2]);
		}
	return img;
}

extern "C" int dlibref_describe(dlibref* n, const unsigned char* rgb, float* out, char** err) {
	try {
		matrix<float, 0, 1> d = n->net(to_matrix(rgb, 150, 150));
		for (long i = 0; i < 128; ++i) out[i] = d(i);
		return 0;
	} catch (std::exception& e) {
		*err = strdup(e.what());
		return -1;
	}
}

// dlibref_stages runs go-face's steps on an RGB image (HOG detection; for the
// largest face: landmarks, chip extraction with go-face's size 150 and
// padding 0.25, descriptor) and reports each step's wall time in ns.
extern "C" int dlibref_stages(dlibref* n, const unsigned char* rgb, long h, long w, long long* ns, int* faces, char** err) {
	using clock = std::chrono::steady_clock;
	auto since = [](clock::time_point t) {
		return (long long)std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - t).count();
	};
	try {
		if (!n->has_sp) throw std::runtime_error("no shape predictor loaded");
		matrix<rgb_pixel> img = to_matrix(rgb, h, w);
		auto t = clock::now();
		std::vector<rectangle> rects = n->detector(img);
		ns[0] = since(t);
		*faces = rects.size();
		ns[1] = ns[2] = 0;
		if (rects.empty()) return 0;
		rectangle best = rects[0];
		for (auto& r : rects)
			if (r.area() > best.area()) best = r;
		t = clock::now();
		full_object_detection shape = n->sp(img, best);
		matrix<rgb_pixel> chip;
		extract_image_chip(img, get_face_chip_details(shape, 150, 0.25), chip);
		ns[1] = since(t);
		t = clock::now();
		matrix<float, 0, 1> d = n->net(chip);
		ns[2] = since(t);
		return 0;
	} catch (std::exception& e) {
		*err = strdup(e.what());
		return -1;
	}
}

extern "C" void dlibref_free(dlibref* n) { delete n; }
