#include "model/xgb.h"

#include <dlfcn.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/app_error.h"

namespace aa::xgb {

namespace {

// XGBoost (and with it libgomp, its OpenMP runtime) is loaded on first use rather than linked:
// libgomp reads OMP_WAIT_POLICY once, when it loads, and the binary sets that in main() (see
// cli/main.cc) without re-executing itself. AA_XGBOOST_LIBRARY is the library CMake found.
#define AA_XGB_FUNCTIONS(X)      \
  X(XGBGetLastError)             \
  X(XGBoostVersion)              \
  X(XGBoosterBoostedRounds)      \
  X(XGBoosterCreate)             \
  X(XGBoosterEvalOneIter)        \
  X(XGBoosterFree)               \
  X(XGBoosterLoadModel)          \
  X(XGBoosterPredictFromDMatrix) \
  X(XGBoosterSaveModel)          \
  X(XGBoosterSaveModelToBuffer)  \
  X(XGBoosterSetParam)           \
  X(XGBoosterSlice)              \
  X(XGBoosterUpdateOneIter)      \
  X(XGDMatrixCreateFromMat)      \
  X(XGDMatrixFree)               \
  X(XGDMatrixSetFloatInfo)

struct Api {
#define AA_XGB_MEMBER(name) decltype(&::name) name = nullptr;
  AA_XGB_FUNCTIONS(AA_XGB_MEMBER)
#undef AA_XGB_MEMBER
};

Api load_api() {
  void* lib = ::dlopen(AA_XGBOOST_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* error = ::dlerror();
    core::fail(core::ErrorKind::Model,
               "cannot load XGBoost from '{}': {} (run `make deps`: libxgboost-dev)",
               AA_XGBOOST_LIBRARY, error != nullptr ? error : "unknown error");
  }
  Api api;
#define AA_XGB_RESOLVE(name)                                                                   \
  if (void* symbol = ::dlsym(lib, #name); symbol != nullptr) {                                 \
    std::memcpy(&api.name, &symbol, sizeof symbol);                                            \
  } else {                                                                                     \
    core::fail(core::ErrorKind::Model, "XGBoost in '{}' lacks {}", AA_XGBOOST_LIBRARY, #name); \
  }
  AA_XGB_FUNCTIONS(AA_XGB_RESOLVE)
#undef AA_XGB_RESOLVE
  return api;  // the library stays loaded for the life of the process
}

const Api& api() {
  static const Api loaded = load_api();
  return loaded;
}

void check(int status, const char* what) {
  if (status != 0) {
    core::fail(core::ErrorKind::Model, "xgboost: {}: {}", what, api().XGBGetLastError());
  }
}

}  // namespace

// ---- DMatrix -----------------------------------------------------------------------------

void DMatrix::Free::operator()(DMatrixHandle* h) const {
  if (*h != nullptr) {
    api().XGDMatrixFree(*h);
  }
  delete h;
}

DMatrix::DMatrix(const std::vector<float>& values, std::size_t rows, std::size_t cols)
    : handle_(new DMatrixHandle(nullptr)), rows_(rows), cols_(cols) {
  if (values.size() != rows * cols) {
    core::fail(core::ErrorKind::Model, "xgboost: {} values do not fill {} rows x {} columns",
               values.size(), rows, cols);
  }
  check(api().XGDMatrixCreateFromMat(values.data(), rows, cols,
                                     std::numeric_limits<float>::quiet_NaN(), handle_.get()),
        "cannot create a matrix");
}

void DMatrix::set_labels(const std::vector<float>& labels) {
  if (labels.size() != rows_) {
    core::fail(core::ErrorKind::Model, "xgboost: {} labels for {} rows", labels.size(), rows_);
  }
  check(api().XGDMatrixSetFloatInfo(get(), "label", labels.data(), labels.size()),
        "cannot set labels");
}

// ---- Booster -----------------------------------------------------------------------------

void Booster::Free::operator()(BoosterHandle* h) const {
  if (*h != nullptr) {
    api().XGBoosterFree(*h);
  }
  delete h;
}

Booster::Booster(BoosterHandle raw) : handle_(new BoosterHandle(raw)) {}

Booster::Booster(const std::vector<const DMatrix*>& cache) : handle_(new BoosterHandle(nullptr)) {
  std::vector<DMatrixHandle> handles;
  handles.reserve(cache.size());
  for (const auto* m : cache) {
    handles.push_back(m->get());
  }
  check(api().XGBoosterCreate(handles.data(), handles.size(), handle_.get()),
        "cannot create a booster");
}

Booster Booster::load(const fs::path& path) {
  if (!fs::exists(path)) {
    core::fail(core::ErrorKind::NotFound, "model file '{}' does not exist", path.string());
  }
  Booster booster(std::vector<const DMatrix*>{});
  check(api().XGBoosterLoadModel(*booster.handle_, path.c_str()),
        ("cannot load '" + path.string() + "'").c_str());
  return booster;
}

void Booster::set_param(const std::string& name, const std::string& value) {
  check(api().XGBoosterSetParam(*handle_, name.c_str(), value.c_str()),
        ("cannot set " + name + "=" + value).c_str());
}

void Booster::set_params(const std::map<std::string, std::string>& params) {
  for (const auto& [name, value] : params) {
    set_param(name, value);
  }
}

void Booster::update(int iteration, const DMatrix& train) {
  check(api().XGBoosterUpdateOneIter(*handle_, iteration, train.get()), "cannot train");
}

double Booster::evaluate(int iteration, const DMatrix& data, const std::string& name) {
  DMatrixHandle handles[] = {data.get()};
  const char* names[] = {name.c_str()};
  const char* out = nullptr;
  check(api().XGBoosterEvalOneIter(*handle_, iteration, handles, names, 1, &out),
        "cannot evaluate");
  // "[3]\tvalid-logloss:0.41"
  const std::string text = out ? out : "";
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    core::fail(core::ErrorKind::Model, "xgboost: unexpected evaluation output '{}'", text);
  }
  return std::stod(text.substr(colon + 1));
}

int Booster::boosted_rounds() const {
  int rounds = 0;
  check(api().XGBoosterBoostedRounds(*handle_, &rounds), "cannot count rounds");
  return rounds;
}

Booster Booster::slice(int rounds) const {
  BoosterHandle out = nullptr;
  check(api().XGBoosterSlice(*handle_, 0, rounds, 1, &out), "cannot slice the model");
  return Booster(out);
}

std::vector<float> Booster::predict_type(const DMatrix& data, int type, std::size_t per_row) const {
  const std::string config = R"({"type": )" + std::to_string(type) +
                             R"(, "training": false, "iteration_begin": 0, )"
                             R"("iteration_end": 0, "strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  check(api().XGBoosterPredictFromDMatrix(*handle_, data.get(), config.c_str(), &shape, &dims,
                                          &result),
        "cannot predict");
  std::size_t total = 1;
  for (bst_ulong d = 0; d < dims; ++d) {
    total *= shape[d];
  }
  if (total != data.rows() * per_row) {
    core::fail(core::ErrorKind::Model, "xgboost: prediction has {} values, expected {}", total,
               data.rows() * per_row);
  }
  return std::vector<float>(result, result + total);
}

std::vector<float> Booster::predict(const DMatrix& data) const { return predict_type(data, 0, 1); }

std::vector<float> Booster::contributions(const DMatrix& data, bool approximate) const {
  return predict_type(data, approximate ? 3 : 2, data.cols() + 1);
}

void Booster::save(const fs::path& path) const {
  check(api().XGBoosterSaveModel(*handle_, path.c_str()),
        ("cannot save '" + path.string() + "'").c_str());
}

std::string Booster::to_json() const {
  bst_ulong length = 0;
  const char* buffer = nullptr;
  check(api().XGBoosterSaveModelToBuffer(*handle_, R"({"format": "json"})", &length, &buffer),
        "cannot serialise the model");
  return std::string(buffer, length);
}

std::vector<std::uint8_t> Booster::to_ubj() const {
  bst_ulong length = 0;
  const char* buffer = nullptr;
  check(api().XGBoosterSaveModelToBuffer(*handle_, R"({"format": "ubj"})", &length, &buffer),
        "cannot serialise the model");
  return {reinterpret_cast<const std::uint8_t*>(buffer),
          reinterpret_cast<const std::uint8_t*>(buffer) + length};
}

std::string version() {
  int major = 0;
  int minor = 0;
  int patch = 0;
  api().XGBoostVersion(&major, &minor, &patch);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

}  // namespace aa::xgb
