// dlibconv converts the tfjs port of dlib's face recognition ResNet
// (face_recognition_model.bin + face_recognition_model-weights_manifest.json
// from the npm package @vladmandic/face-api, MIT) back into dlib's own
// serialisation format (dlib_face_recognition_resnet_model_v1.dat), the file
// that go-face's NewRecognizer loads.
//
// The network type below is the one go-face (and dlib's
// dnn_face_recognition_ex.cpp) declares. Its parameterised layers, walked from
// the input to the output, are 29 con_, 29 affine_ and 1 fc_ (no bias); the
// manifest lists the same tensors in the same order:
//   <layer>/conv/filters [h][w][in][out]  -> con_ filters [out][in][h][w]
//   <layer>/conv/bias    [out]            -> con_ biases
//   <layer>/scale/weights [out]           -> affine_ gamma (per channel)
//   <layer>/scale/biases  [out]           -> affine_ beta
//   fc [256][128]                         -> fc_ weights, same layout
// Quantised tensors ("quantization": {"dtype":"uint8","scale":S,"min":M})
// decode as q*S + M, exactly as tfjs does; the others are float32 LE.
//
// The output is written with dlib's serialize() and is byte-identical from
// run to run (parameters are fully overwritten, cached outputs cleared).
//
// usage: dlibconv MANIFEST.json WEIGHTS.bin OUT.dat
#include <dlib/dnn.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace dlib;

// ---------------------------------------------------------------------------
// The network, exactly as declared by go-face (facerec.cc); models.sh puts
// worker/internal/face/internal/dlibref on the include path.
#include "anet.h"

// ---------------------------------------------------------------------------
// A minimal JSON reader, enough for a tfjs weights manifest.

struct JSON {
    enum Kind { Null, Bool, Num, Str, Arr, Obj } kind = Null;
    bool b = false;
    double num = 0;
    std::string str;
    std::vector<JSON> arr;
    std::vector<std::pair<std::string, JSON>> obj;

    const JSON* get(const std::string& k) const {
        for (auto& kv : obj)
            if (kv.first == k) return &kv.second;
        return nullptr;
    }
};

class Parser {
public:
    explicit Parser(const std::string& s) : s_(s) {}
    JSON parse() {
        JSON v = value();
        ws();
        if (i_ != s_.size()) fail("trailing data");
        return v;
    }

private:
    const std::string& s_;
    size_t i_ = 0;

    [[noreturn]] void fail(const std::string& m) {
        throw std::runtime_error("manifest JSON: " + m + " at offset " + std::to_string(i_));
    }
    void ws() {
        while (i_ < s_.size() && std::isspace((unsigned char)s_[i_])) ++i_;
    }
    char peek() {
        ws();
        if (i_ >= s_.size()) fail("unexpected end");
        return s_[i_];
    }
    void expect(char c) {
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++i_;
    }
    std::string string() {
        expect('"');
        std::string out;
        while (true) {
            if (i_ >= s_.size()) fail("unterminated string");
            char c = s_[i_++];
            if (c == '"') break;
            if (c == '\\') {
                if (i_ >= s_.size()) fail("bad escape");
                char e = s_[i_++];
                switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'u': fail("\\u escapes are not supported");
                default: out += e;
                }
            } else {
                out += c;
            }
        }
        return out;
    }
    JSON value() {
        JSON v;
        char c = peek();
        if (c == '{') {
            v.kind = JSON::Obj;
            ++i_;
            if (peek() == '}') { ++i_; return v; }
            while (true) {
                std::string k = string();
                expect(':');
                v.obj.emplace_back(k, value());
                if (peek() == ',') { ++i_; continue; }
                expect('}');
                return v;
            }
        }
        if (c == '[') {
            v.kind = JSON::Arr;
            ++i_;
            if (peek() == ']') { ++i_; return v; }
            while (true) {
                v.arr.push_back(value());
                if (peek() == ',') { ++i_; continue; }
                expect(']');
                return v;
            }
        }
        if (c == '"') {
            v.kind = JSON::Str;
            v.str = string();
            return v;
        }
        if (s_.compare(i_, 4, "true") == 0) { i_ += 4; v.kind = JSON::Bool; v.b = true; return v; }
        if (s_.compare(i_, 5, "false") == 0) { i_ += 5; v.kind = JSON::Bool; return v; }
        if (s_.compare(i_, 4, "null") == 0) { i_ += 4; return v; }
        size_t start = i_;
        while (i_ < s_.size() && std::strchr("+-0123456789.eE", s_[i_])) ++i_;
        if (start == i_) fail("unexpected character");
        v.kind = JSON::Num;
        v.num = std::stod(s_.substr(start, i_ - start));
        return v;
    }
};

// ---------------------------------------------------------------------------

struct Tensor {
    std::string name;
    std::vector<long> shape;
    std::vector<float> data;
};

static std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

static std::vector<Tensor> load_tfjs(const std::string& manifest_path, const std::string& bin_path) {
    const std::string text = read_file(manifest_path);
    JSON root = Parser(text).parse();
    if (root.kind != JSON::Arr || root.arr.size() != 1)
        throw std::runtime_error("manifest: expected one weights group");
    const JSON* weights = root.arr[0].get("weights");
    if (!weights || weights->kind != JSON::Arr) throw std::runtime_error("manifest: no weights list");

    const std::string bin = read_file(bin_path);
    size_t off = 0;
    std::vector<Tensor> out;
    for (const JSON& w : weights->arr) {
        Tensor t;
        t.name = w.get("name")->str;
        size_t n = 1;
        for (const JSON& d : w.get("shape")->arr) {
            t.shape.push_back((long)d.num);
            n *= (size_t)d.num;
        }
        t.data.resize(n);
        const JSON* q = w.get("quantization");
        if (q) {
            if (q->get("dtype")->str != "uint8")
                throw std::runtime_error(t.name + ": unsupported quantization " + q->get("dtype")->str);
            const double scale = q->get("scale")->num;
            const double min = q->get("min")->num;
            if (off + n > bin.size()) throw std::runtime_error(t.name + ": weights file too short");
            for (size_t i = 0; i < n; ++i)
                t.data[i] = (float)((double)(uint8_t)bin[off + i] * scale + min);
            off += n;
        } else {
            if (w.get("dtype")->str != "float32")
                throw std::runtime_error(t.name + ": unsupported dtype " + w.get("dtype")->str);
            if (off + 4 * n > bin.size()) throw std::runtime_error(t.name + ": weights file too short");
            for (size_t i = 0; i < n; ++i) {
                const unsigned char* p = (const unsigned char*)bin.data() + off + 4 * i;
                uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
                float f;
                std::memcpy(&f, &u, 4);
                t.data[i] = f;
            }
            off += 4 * n;
        }
        out.push_back(std::move(t));
    }
    if (off != bin.size())
        throw std::runtime_error("weights file has " + std::to_string(bin.size() - off) + " unused bytes");
    return out;
}

static bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Layer {
    enum Kind { Con, Affine, Fc } kind;
    tensor* params = nullptr;  // con_, fc_: the layer's parameter tensor
    affine_* aff = nullptr;
};

int main(int argc, char** argv) try {
    if (argc != 4) {
        std::cerr << "usage: dlibconv MANIFEST.json WEIGHTS.bin OUT.dat\n";
        return 2;
    }
    std::vector<Tensor> tensors = load_tfjs(argv[1], argv[2]);

    anet_type net;
    // affine_ layers default to per-element (FC) mode; the trained network's
    // batch-norm layers were per-channel, so switch before parameters exist.
    visit_computational_layers(net, [](affine_& l) { l = affine_(CONV_MODE); });
    // One forward pass makes every layer allocate its parameters.
    matrix<rgb_pixel> dummy(150, 150);
    assign_all_pixels(dummy, rgb_pixel(0, 0, 0));
    net(dummy);

    // Collect the parameterised layers from input to output.
    std::vector<Layer> layers;
    visit_computational_layers(net, [&](auto& l) {
        using T = std::decay_t<decltype(l)>;
        if constexpr (std::is_same_v<T, affine_>) {
            layers.push_back({Layer::Affine, nullptr, &l});
        } else if constexpr (std::is_same_v<T, fc_<128, FC_NO_BIAS>>) {
            layers.push_back({Layer::Fc, &l.get_layer_params(), nullptr});
        } else if constexpr (std::is_same_v<T, con_<32, 7, 7, 2, 2>> || std::is_same_v<T, con_<32, 3, 3, 1, 1>> ||
                             std::is_same_v<T, con_<64, 3, 3, 1, 1>> || std::is_same_v<T, con_<64, 3, 3, 2, 2>> ||
                             std::is_same_v<T, con_<128, 3, 3, 1, 1>> || std::is_same_v<T, con_<128, 3, 3, 2, 2>> ||
                             std::is_same_v<T, con_<256, 3, 3, 1, 1>> || std::is_same_v<T, con_<256, 3, 3, 2, 2>>) {
            layers.push_back({Layer::Con, &l.get_layer_params(), nullptr});
        } else {
            if (l.get_layer_params().size() != 0)
                throw std::runtime_error("unexpected parameterised layer");
        }
    });
    std::reverse(layers.begin(), layers.end());

    size_t ncon = 0, naff = 0, nfc = 0;
    for (auto& l : layers) (l.kind == Layer::Con ? ncon : l.kind == Layer::Affine ? naff : nfc)++;
    if (ncon != 29 || naff != 29 || nfc != 1)
        throw std::runtime_error("network has " + std::to_string(ncon) + " con, " + std::to_string(naff) +
                                 " affine, " + std::to_string(nfc) + " fc layers; expected 29/29/1");
    if (tensors.size() != 117)
        throw std::runtime_error("manifest has " + std::to_string(tensors.size()) + " tensors; expected 117");

    size_t ti = 0;
    auto next = [&](const std::string& suffix) -> Tensor& {
        if (ti >= tensors.size()) throw std::runtime_error("ran out of tensors");
        Tensor& t = tensors[ti++];
        if (!ends_with(t.name, suffix))
            throw std::runtime_error("tensor " + t.name + " does not end in " + suffix);
        return t;
    };

    Tensor* pending_con_out = nullptr;
    size_t pending_channels = 0;
    for (size_t li = 0; li < layers.size(); ++li) {
        Layer& l = layers[li];
        if (l.kind == Layer::Con) {
            Tensor& f = next("/conv/filters");
            Tensor& b = next("/conv/bias");
            if (f.shape.size() != 4) throw std::runtime_error(f.name + ": not 4-D");
            const long H = f.shape[0], W = f.shape[1], I = f.shape[2], O = f.shape[3];
            if ((long)b.data.size() != O) throw std::runtime_error(b.name + ": size mismatch");
            if ((long)l.params->size() != O * I * H * W + O)
                throw std::runtime_error(f.name + ": dlib layer has " + std::to_string(l.params->size()) +
                                         " parameters, tfjs " + std::to_string(O * I * H * W + O));
            float* p = l.params->host();
            for (long o = 0; o < O; ++o)
                for (long i = 0; i < I; ++i)
                    for (long h = 0; h < H; ++h)
                        for (long w = 0; w < W; ++w)
                            *p++ = f.data[((h * W + w) * I + i) * O + o];
            for (long o = 0; o < O; ++o) *p++ = b.data[o];
            pending_con_out = &f;
            pending_channels = O;
        } else if (l.kind == Layer::Affine) {
            Tensor& g = next("/scale/weights");
            Tensor& b = next("/scale/biases");
            if (!pending_con_out || g.data.size() != pending_channels || b.data.size() != pending_channels)
                throw std::runtime_error(g.name + ": does not follow a matching convolution");
            auto gamma = l.aff->get_gamma();
            auto beta = l.aff->get_beta();
            if (gamma.size() != g.data.size() || beta.size() != b.data.size())
                throw std::runtime_error(g.name + ": affine size mismatch (is the layer per-channel?)");
            std::copy(g.data.begin(), g.data.end(), gamma.host());
            std::copy(b.data.begin(), b.data.end(), beta.host());
            pending_con_out = nullptr;
        } else {
            Tensor& w = next("fc");
            if (w.shape.size() != 2 || w.shape[0] != 256 || w.shape[1] != 128 || l.params->size() != w.data.size())
                throw std::runtime_error("fc: shape mismatch");
            std::copy(w.data.begin(), w.data.end(), l.params->host());
        }
    }
    if (ti != tensors.size()) throw std::runtime_error("unused tensors left in the manifest");

    net.clean();
    serialize(argv[3]) << net;
    std::cout << "dlibconv: wrote " << argv[3] << " (" << ncon << " con, " << naff << " affine, " << nfc
              << " fc layers from " << tensors.size() << " tensors)\n";
    return 0;
} catch (std::exception& e) {
    std::cerr << "dlibconv: " << e.what() << "\n";
    return 1;
}
