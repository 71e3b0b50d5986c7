/* The module's ABI: the functions MIT's mechglue looks up in an interposer (its "GSSAPI mechanism interface",
 * interposer modules), each with the signature of the gss_* call it stands for, and gss_mech_interposer. The
 * version script (fakesspi_gss.sym) exports these and nothing else. */
#ifndef FS_GSS_GSSI_H
#define FS_GSS_GSSI_H

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#define FS_GSS_EXPORT __attribute__((visibility("default")))

FS_GSS_EXPORT gss_OID_set gss_mech_interposer(gss_OID mech_type);
FS_GSS_EXPORT OM_uint32 gssi_acquire_cred(OM_uint32 *minor_status, gss_name_t desired_name, OM_uint32 time_req,
                                          gss_OID_set desired_mechs, gss_cred_usage_t cred_usage,
                                          gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
                                          OM_uint32 *time_rec);
FS_GSS_EXPORT OM_uint32 gssi_acquire_cred_from(OM_uint32 *minor_status, gss_name_t desired_name, OM_uint32 time_req,
                                               gss_OID_set desired_mechs, gss_cred_usage_t cred_usage,
                                               gss_const_key_value_set_t cred_store, gss_cred_id_t *output_cred_handle,
                                               gss_OID_set *actual_mechs, OM_uint32 *time_rec);
FS_GSS_EXPORT OM_uint32 gssi_acquire_cred_with_password(OM_uint32 *minor_status, const gss_name_t desired_name,
                                                        const gss_buffer_t password, OM_uint32 time_req,
                                                        const gss_OID_set desired_mechs, int cred_usage,
                                                        gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
                                                        OM_uint32 *time_rec);
FS_GSS_EXPORT OM_uint32 gssi_acquire_cred_impersonate_name(OM_uint32 *minor_status,
                                                           const gss_cred_id_t impersonator_cred_handle,
                                                           const gss_name_t desired_name, OM_uint32 time_req,
                                                           const gss_OID_set desired_mechs, gss_cred_usage_t cred_usage,
                                                           gss_cred_id_t *output_cred_handle,
                                                           gss_OID_set *actual_mechs, OM_uint32 *time_rec);
FS_GSS_EXPORT OM_uint32 gssi_inquire_cred_by_mech(OM_uint32 *minor_status, gss_cred_id_t cred_handle,
                                                  gss_OID mech_type, gss_name_t *name, OM_uint32 *initiator_lifetime,
                                                  OM_uint32 *acceptor_lifetime, gss_cred_usage_t *cred_usage);
FS_GSS_EXPORT OM_uint32 gssi_release_cred(OM_uint32 *minor_status, gss_cred_id_t *cred_handle);
FS_GSS_EXPORT OM_uint32 gssi_init_sec_context(OM_uint32 *minor_status, gss_cred_id_t claimant_cred_handle,
                                              gss_ctx_id_t *context_handle, gss_name_t target_name, gss_OID mech_type,
                                              OM_uint32 req_flags, OM_uint32 time_req,
                                              gss_channel_bindings_t input_chan_bindings, gss_buffer_t input_token,
                                              gss_OID *actual_mech_type, gss_buffer_t output_token,
                                              OM_uint32 *ret_flags, OM_uint32 *time_rec);
FS_GSS_EXPORT OM_uint32 gssi_accept_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                                                gss_cred_id_t verifier_cred_handle, gss_buffer_t input_token,
                                                gss_channel_bindings_t input_chan_bindings, gss_name_t *src_name,
                                                gss_OID *mech_type, gss_buffer_t output_token, OM_uint32 *ret_flags,
                                                OM_uint32 *time_rec, gss_cred_id_t *delegated_cred_handle);
FS_GSS_EXPORT OM_uint32 gssi_delete_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                                                gss_buffer_t output_token);
FS_GSS_EXPORT OM_uint32 gssi_export_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                                                gss_buffer_t interprocess_token);
FS_GSS_EXPORT OM_uint32 gssi_import_sec_context(OM_uint32 *minor_status, gss_buffer_t interprocess_token,
                                                gss_ctx_id_t *context_handle);
FS_GSS_EXPORT OM_uint32 gssi_import_sec_context_by_mech(OM_uint32 *minor_status, gss_OID mech_type,
                                                        gss_buffer_t interprocess_token, gss_ctx_id_t *context_handle);
FS_GSS_EXPORT OM_uint32 gssi_wrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag,
                                  gss_qop_t qop_req, gss_buffer_t input_message_buffer, int *conf_state,
                                  gss_buffer_t output_message_buffer);
FS_GSS_EXPORT OM_uint32 gssi_unwrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                                    gss_buffer_t input_message_buffer, gss_buffer_t output_message_buffer,
                                    int *conf_state, gss_qop_t *qop_state);
/* The IOV forms (MIT's gssapi_ext.h); MIT's mechglue makes gss_wrap_aead and gss_unwrap_aead of them. */
FS_GSS_EXPORT OM_uint32 gssi_wrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag,
                                      gss_qop_t qop_req, int *conf_state, gss_iov_buffer_desc *iov, int iov_count);
FS_GSS_EXPORT OM_uint32 gssi_unwrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int *conf_state,
                                        gss_qop_t *qop_state, gss_iov_buffer_desc *iov, int iov_count);
FS_GSS_EXPORT OM_uint32 gssi_get_mic_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle, gss_qop_t qop_req,
                                         gss_iov_buffer_desc *iov, int iov_count);
FS_GSS_EXPORT OM_uint32 gssi_verify_mic_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                                            gss_qop_t *qop_state, gss_iov_buffer_desc *iov, int iov_count);
FS_GSS_EXPORT OM_uint32 gssi_get_mic_iov_length(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                                                gss_qop_t qop_req, gss_iov_buffer_desc *iov, int iov_count);
FS_GSS_EXPORT OM_uint32 gssi_wrap_iov_length(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag,
                                             gss_qop_t qop_req, int *conf_state, gss_iov_buffer_desc *iov,
                                             int iov_count);
FS_GSS_EXPORT OM_uint32 gssi_get_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle, gss_qop_t qop_req,
                                     gss_buffer_t message_buffer, gss_buffer_t message_token);
FS_GSS_EXPORT OM_uint32 gssi_verify_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                                        gss_buffer_t message_buffer, gss_buffer_t message_token, gss_qop_t *qop_state);
FS_GSS_EXPORT OM_uint32 gssi_import_name(OM_uint32 *minor_status, gss_buffer_t input_name_buffer,
                                         gss_OID input_name_type, gss_name_t *output_name);
FS_GSS_EXPORT OM_uint32 gssi_import_name_by_mech(OM_uint32 *minor_status, gss_OID mech_type,
                                                 gss_buffer_t input_name_buffer, gss_OID input_name_type,
                                                 gss_name_t *output_name);
FS_GSS_EXPORT OM_uint32 gssi_display_name(OM_uint32 *minor_status, gss_name_t input_name,
                                          gss_buffer_t output_name_buffer, gss_OID *output_name_type);
FS_GSS_EXPORT OM_uint32 gssi_release_name(OM_uint32 *minor_status, gss_name_t *input_name);
FS_GSS_EXPORT OM_uint32 gssi_duplicate_name(OM_uint32 *minor_status, const gss_name_t src_name,
                                            gss_name_t *dest_name);
FS_GSS_EXPORT OM_uint32 gssi_compare_name(OM_uint32 *minor_status, gss_name_t name1, gss_name_t name2,
                                          int *name_equal);
FS_GSS_EXPORT OM_uint32 gssi_display_status(OM_uint32 *minor_status, OM_uint32 status_value, int status_type,
                                            gss_OID mech_type, OM_uint32 *message_context,
                                            gss_buffer_t status_string);

FS_GSS_EXPORT OM_uint32 gssi_inquire_cred(OM_uint32 *minor_status, gss_cred_id_t cred_handle, gss_name_t *name,
                                          OM_uint32 *lifetime, gss_cred_usage_t *cred_usage,
                                          gss_OID_set *mechanisms);
FS_GSS_EXPORT OM_uint32 gssi_inquire_context(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                                             gss_name_t *src_name, gss_name_t *targ_name, OM_uint32 *lifetime_rec,
                                             gss_OID *mech_type, OM_uint32 *ctx_flags, int *locally_initiated,
                                             int *opened);
FS_GSS_EXPORT OM_uint32 gssi_context_time(OM_uint32 *minor_status, gss_ctx_id_t context_handle, OM_uint32 *time_rec);
FS_GSS_EXPORT OM_uint32 gssi_inquire_sec_context_by_oid(OM_uint32 *minor_status, const gss_ctx_id_t context_handle,
                                                        const gss_OID desired_object, gss_buffer_set_t *data_set);
FS_GSS_EXPORT OM_uint32 gssi_wrap_size_limit(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag,
                                             gss_qop_t qop_req, OM_uint32 req_output_size,
                                             OM_uint32 *max_input_size);
FS_GSS_EXPORT OM_uint32 gssi_export_name(OM_uint32 *minor_status, const gss_name_t input_name,
                                         gss_buffer_t exported_name);
FS_GSS_EXPORT OM_uint32 gssi_inquire_names_for_mech(OM_uint32 *minor_status, gss_OID mechanism,
                                                    gss_OID_set *name_types);
FS_GSS_EXPORT OM_uint32 gssi_inquire_name(OM_uint32 *minor_status, gss_name_t name, int *name_is_MN,
                                          gss_OID *MN_mech, gss_buffer_set_t *attrs);
FS_GSS_EXPORT OM_uint32 gssi_get_name_attribute(OM_uint32 *minor_status, gss_name_t name, gss_buffer_t attr,
                                                int *authenticated, int *complete, gss_buffer_t value,
                                                gss_buffer_t display_value, int *more);
FS_GSS_EXPORT OM_uint32 gssi_localname(OM_uint32 *minor_status, const gss_name_t name, gss_const_OID mech_type,
                                       gss_buffer_t localname);

FS_GSS_EXPORT OM_uint32 gssi_internal_release_oid(OM_uint32 *minor_status, gss_OID *oid);

#endif
