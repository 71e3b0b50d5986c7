/* Begin and end of every exported call: start-up, fault injection, the trace line and the one
 * mapping of internal errors to Windows codes. */
#include <stdio.h>

#include "api.h"
#include "entry.h"
#include "core/fork_gate.h"
#include "core/fault.h"
#include "core/lasterror.h"
#include "core/names.h"
#include "core/origin.h"
#include "core/script.h"

void fs_call_begin_at(struct fs_call *call, const char *api, void *return_address, void *frame)
{
    fs_fork_gate_enter(); /* left in end_with, which every fs_call_end_* passes */
    fs_api_enter();
    call->api = api;
    call->err = FS_OK;
    call->injected = 0;
    call->scripted = 0;
    call->chosen_fails = 0;
    call->injected_value = 0;
    fs_writer_init(&call->script_token);
    fs_trace_begin(&call->trace, api, fs_origin_call_begin(return_address, frame));
}

int fs_call_proceed(struct fs_call *call)
{
    call->injected = fs_fault_call(call->api, &call->injected_value);
    if (call->injected)
        call->chosen_fails = 1;
    else
        call->scripted = fs_script_take(call->api, &call->injected_value, &call->chosen_fails, &call->script_token);
    return !call->injected && !call->scripted;
}

/* The result is the chosen value: injected, or scripted and the scripted leg (if any) did not fail. */
static int chosen(const struct fs_call *call)
{
    return call->injected || (call->scripted && fs_succeeded(call->err));
}

/* The body succeeded and nothing chose a failure instead. */
static int succeeded(const struct fs_call *call)
{
    return fs_succeeded(call->err) && !(chosen(call) && call->chosen_fails);
}

static const char *mark(const struct fs_call *call)
{
    return call->injected ? " (injected)" : call->scripted ? " (scripted)" : "";
}

int fs_call_outputs(struct fs_call *call)
{
    if (!succeeded(call))
        return 0;
    fs_trace_outputs(&call->trace);
    return 1;
}

static void end_with(struct fs_call *call, const char *name, int64_t value, const char *unit)
{
    fs_origin_call_end();
    if (call->trace.on) {
        char text[128];
        if (name)
            snprintf(text, sizeof text, "%.100s%s", name, mark(call));
        else
            snprintf(text, sizeof text, "%s %#llx%s", unit ? unit : "value", (unsigned long long)value, mark(call));
        fs_trace_end(&call->trace, text);
    }
    fs_last_error_mark_errno(); /* errno as this call leaves it is not a socket failure of the caller's */
    fs_fork_gate_leave();
}

SECURITY_STATUS fs_call_end_status(struct fs_call *call)
{
    SECURITY_STATUS st = chosen(call) ? (SECURITY_STATUS)call->injected_value : fs_sec_status(call->err);
    end_with(call, call->trace.on ? fs_status_name(st) : NULL, (uint32_t)st, "status"); /* named for the trace only */
    return st;
}

NTSTATUS fs_call_end_nt_status(struct fs_call *call)
{
    NTSTATUS st = chosen(call) ? (NTSTATUS)call->injected_value : fs_nt_status(call->err);
    /* By name; an SSPI outcome keeps its SEC_E_ value as an NTSTATUS (internal_errors.def). */
    const char *name = NULL;
    if (call->trace.on) { /* named for the trace only */
        name = fs_nt_status_name(st);
        if (!name)
            name = fs_status_name(st);
    }
    end_with(call, name, (uint32_t)st, "NTSTATUS");
    return st;
}

/* A failed Win32 call: the last error set from the chosen value or the body's error, and the trace
 * line ended "WHAT (ERROR_NAME)". */
static void end_failed(struct fs_call *call, const char *what)
{
    DWORD e = chosen(call) ? (DWORD)call->injected_value : fs_win32_error(call->err);
    fs_last_error_set(e);
    char text[112] = "";
    const char *name = call->trace.on ? fs_error_name(e) : NULL;
    if (name)
        snprintf(text, sizeof text, "%s (%.80s)", what, name);
    else if (call->trace.on)
        snprintf(text, sizeof text, "%s (error %lu)", what, (unsigned long)e);
    end_with(call, text, 0, NULL);
}

BOOL fs_call_end_bool(struct fs_call *call)
{
    if (!succeeded(call)) {
        end_failed(call, "FALSE");
        return FALSE;
    }
    end_with(call, "TRUE", 1, NULL);
    return TRUE;
}

BOOL fs_call_end_bool_noting(struct fs_call *call)
{
    if (!succeeded(call))
        return fs_call_end_bool(call);
    DWORD e = chosen(call) ? ERROR_SUCCESS : fs_win32_error(call->err);
    fs_last_error_set(e);
    char text[112] = "TRUE";
    const char *name = e != ERROR_SUCCESS && call->trace.on ? fs_error_name(e) : NULL;
    if (name)
        snprintf(text, sizeof text, "TRUE (%.100s)", name);
    end_with(call, text, 0, NULL);
    return TRUE;
}

void *fs_call_end_pointer(struct fs_call *call, void *value)
{
    if (!succeeded(call)) {
        end_failed(call, "NULL");
        return NULL;
    }
    end_with(call, value ? "a pointer" : "NULL", 0, NULL);
    return value;
}

BOOL fs_call_end_answer(struct fs_call *call, BOOL answer)
{
    if (!succeeded(call))
        return fs_call_end_bool(call);
    fs_last_error_set(ERROR_SUCCESS);
    end_with(call, answer ? "TRUE" : "FALSE (ERROR_SUCCESS)", 0, NULL);
    return answer ? TRUE : FALSE;
}

void *fs_call_end_freed(struct fs_call *call, void *argument)
{
    if (!succeeded(call)) {
        end_failed(call, "not freed");
        return argument;
    }
    end_with(call, "NULL", 0, NULL);
    return NULL;
}

DWORD fs_call_end_error(struct fs_call *call)
{
    DWORD e = !succeeded(call) ? (chosen(call) ? (DWORD)call->injected_value : fs_win32_error(call->err)) : ERROR_SUCCESS;
    const char *name = call->trace.on ? fs_error_name(e) : NULL;
    end_with(call, name, e, "error");
    return e;
}
