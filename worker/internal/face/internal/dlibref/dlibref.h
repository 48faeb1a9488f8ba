#pragma once
#ifdef __cplusplus
extern "C" {
#endif
typedef struct dlibref dlibref;
dlibref* dlibref_load(const char* net_path, const char* sp_path, char** err);
int dlibref_describe(dlibref* n, const unsigned char* rgb, float* out, char** err);
int dlibref_stages(dlibref* n, const unsigned char* rgb, long h, long w, long long* ns, int* faces, char** err);
void dlibref_free(dlibref* n);
#ifdef __cplusplus
}
#endif
