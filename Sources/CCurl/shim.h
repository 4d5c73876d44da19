#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic: Swift cannot call them, so these typed shims do. */

static inline CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }

typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode ccurl_setopt_write(CURL *h, ccurl_data_callback f, void *context) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_WRITEDATA, context);
}
static inline CURLcode ccurl_setopt_header(CURL *h, ccurl_data_callback f, void *context) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, f);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_HEADERDATA, context);
}

static inline CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

/* CURLMsg holds a union; these read its parts. */
static inline CURL *ccurl_msg_handle(CURLMsg *m) { return m->easy_handle; }
static inline CURLcode ccurl_msg_result(CURLMsg *m) { return m->data.result; }
static inline int ccurl_msg_is_done(CURLMsg *m) { return m->msg == CURLMSG_DONE; }
