/*
 * cblas_sgemm on Java float arrays without copying them: the arrays are pinned with
 * GetPrimitiveArrayCritical for the length of the product, and OpenBLAS is called through the
 * address of cblas_sgemm that JavaCPP's copy of the library exports (io.sparklm.tensor.CriticalGemm).
 * Built by the Maven build for linux-x86_64 when a C compiler is there; without it sparklm copies
 * the operands into a native buffer instead (io.sparklm.tensor.GemmStaging).
 */
#include <jni.h>
#include <stdint.h>

typedef void (*cblas_sgemm_fn)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha,
                               const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

static void throw_out_of_memory(JNIEnv *env) {
    jclass error = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
    if (error != NULL) {
        (*env)->ThrowNew(env, error, "GetPrimitiveArrayCritical returned no array");
    }
}

JNIEXPORT void JNICALL Java_io_sparklm_tensor_CriticalGemm_sgemm(
        JNIEnv *env, jclass cls, jlong function, jboolean trans_a, jboolean trans_b, jint m, jint n, jint k,
        jfloat alpha, jfloatArray a, jint a_offset, jint lda, jfloatArray b, jint b_offset, jint ldb,
        jfloat beta, jfloatArray c, jint c_offset, jint ldc) {
    (void) cls;
    float *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    float *pb = pa == NULL ? NULL : (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    float *pc = pb == NULL ? NULL : (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    if (pc != NULL) {
        ((cblas_sgemm_fn) (intptr_t) function)(ROW_MAJOR, trans_a ? TRANS : NO_TRANS, trans_b ? TRANS : NO_TRANS,
                m, n, k, alpha, pa + a_offset, lda, pb + b_offset, ldb, beta, pc + c_offset, ldc);
        (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
    }
    if (pb != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    }
    if (pa != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    }
    if (pc == NULL) {
        throw_out_of_memory(env);
    }
}
