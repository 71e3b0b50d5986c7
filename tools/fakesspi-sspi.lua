-- fakesspi-sspi.lua: a Wireshark dissector for the framing of the SSPI socket samples, as libfakesspi's
-- captures carry it (FAKESSPI_PCAP, sspi-handshake --pcap-carrier tcp) on TCP port 7070:
--   client to server: a 32-bit little-endian length, then the token;
--   server to client: its 32-bit SECURITY_STATUS, then the length and its token (none after a failure);
--   after the handshake, sealed messages either way: the length, then the trailer's 32-bit size, the trailer
--   (EncryptMessage's SECBUFFER_TOKEN) and the encrypted data; and signed ones, framed the same but for the
--   top bit set in the size word (0x80000000 | the signature's size), the signature (MakeSignature's
--   SECBUFFER_TOKEN) and the data in the clear. The samples only seal: the bit is libfakesspi's own.
-- Wireshark has no dissector for this framing, so this one frames the messages and hands each token to
-- Wireshark's own GSS-API dissector (NTLMSSP, SPNEGO, Kerberos), and an NTLM sealed or signed message to
-- NTLMSSP's, which decrypts the data and the signature's checksum and sequence number when given the password
-- (-o ntlmssp.nt_password:PASSWORD). NTLM's signatures and seals draw on one RC4 stream per direction, so
-- Wireshark must see every signed message to open the sealed ones after it.
--   tshark -X lua_script:fakesspi-sspi.lua -r capture.pcapng
-- Another port: -X lua_script1:port=N.

local port = 7070
for _, arg in ipairs({...}) do
    local n = arg:match("^port=(%d+)$")
    if n then port = tonumber(n) end
end

local proto = Proto("fakesspi_sspi", "SSPI sample framing")
local f_length = ProtoField.uint32("fakesspi_sspi.length", "Length", base.DEC)
local f_status = ProtoField.uint32("fakesspi_sspi.status", "Server status", base.HEX, {
    [0x00000000] = "SEC_E_OK", [0x00090312] = "SEC_I_CONTINUE_NEEDED", [0x8009030c] = "SEC_E_LOGON_DENIED",
    [0x80090308] = "SEC_E_INVALID_TOKEN", [0x80090322] = "SEC_E_WRONG_PRINCIPAL"})
local f_token = ProtoField.bytes("fakesspi_sspi.token", "Token")
local f_trailer_size = ProtoField.uint32("fakesspi_sspi.trailer_size", "Trailer size", base.DEC)
local f_trailer = ProtoField.bytes("fakesspi_sspi.trailer", "Trailer")
local f_sealed = ProtoField.bytes("fakesspi_sspi.sealed", "Sealed data")
local f_signature_size = ProtoField.uint32("fakesspi_sspi.signature_size", "Signature size", base.DEC, nil, 0x7fffffff)
local f_signature = ProtoField.bytes("fakesspi_sspi.signature", "Signature")
local f_signed = ProtoField.bytes("fakesspi_sspi.signed", "Signed data (in the clear)")
local f_checksum = ProtoField.bytes("fakesspi_sspi.checksum", "NTLM encrypted checksum (decrypted below)")
proto.fields = {f_length, f_status, f_token, f_trailer_size, f_trailer, f_sealed, f_signature_size, f_signature, f_signed,
                f_checksum}

local gssapi = Dissector.get("gssapi")
local ntlmssp_data = Dissector.get("ntlmssp_data_only")
local ntlmssp_verf = Dissector.get("ntlmssp_verf")
local krb5_token = Dissector.get("spnego-krb5-wrap")

-- RFC 4121 4.2.6: a Kerberos MIC token starts 04 04, a Wrap token 05 04. Wireshark's own dissector for them
-- shows the header (flags, EC, RRC, sequence number) and a MIC's checksum. It decrypts a Wrap token only when
-- the protocol carrying it hands it a gssapi_encrypt_info_t (LDAP SASL, DCE/RPC, SMB do); a Lua dissector
-- cannot (Dissector:call passes no data), so the keytab opens the ticket here but not the sealed data.
local function is_krb5_token(tvb, id)
    return tvb:len() >= 16 and tvb(0, 1):uint() == id and tvb(1, 1):uint() == 0x04
end

-- A token is empty, a raw NTLMSSP message, or starts as GSS-API tokens do (0x60: an initial context token;
-- 0xa1/0xa0: SPNEGO's NegTokenResp/NegTokenInit); anything else is a sealed message.
local function is_token(tvb, offset, len)
    if len == 0 then return true end
    if len >= 8 and tvb(offset, 7):string() == "NTLMSSP" and tvb(offset + 7, 1):uint() == 0 then return true end
    local b = tvb(offset, 1):uint()
    return b == 0x60 or b == 0xa1 or b == 0xa0
end

-- A server's handshake answer starts with its status: SEC_E_OK, SEC_I_CONTINUE_NEEDED or an error (top bit
-- set); a sealed message's length is none of them.
local function is_status(v) return v == 0 or v == 0x00090312 or v >= 0x80000000 end

-- One message at offset; returns its end, or nil when the segment holds only part of it.
local function message(tvb, pinfo, tree, offset, from_server)
    local avail = tvb:len() - offset
    if avail < 4 then return nil end
    local head = (from_server and is_status(tvb(offset, 4):le_uint())) and 8 or 4
    if avail < head then return nil end
    local len = tvb(offset + head - 4, 4):le_uint()
    if avail < head + len then return nil end
    local sealed = head == 4 and not is_token(tvb, offset + 4, len)
    local item = tree:add(proto, tvb(offset, head + len))
    if head == 8 then item:add_le(f_status, tvb(offset, 4)) end
    item:add_le(f_length, tvb(offset + head - 4, 4))
    if sealed and len >= 4 and tvb(offset + 4, 4):le_uint() >= 0x80000000 then
        local body = tvb(offset + 4, len):tvb()
        local size = math.min(body(0, 4):le_uint() - 0x80000000, len - 4)
        item:add_le(f_signature_size, body(0, 4))
        item:append_text(", signed message")
        if size > 0 then item:add(f_signature, body(4, size)) end
        if len - 4 - size > 0 then item:add(f_signed, body(4 + size)) end
        if size == 16 and body(4, 4):le_uint() == 1 then
            -- NTLM: MakeSignature drew 8 bytes of the sender's RC4 stream to encrypt the checksum (MS-NLMP
            -- 3.4.4.2, key exchange). NTLMSSP's own verifier dissector decrypts nothing without a payload,
            -- so the checksum goes to its payload decryptor: the stream stays in step for the sealed
            -- messages after it, and "Decrypted data" shows the checksum, HMAC_MD5(SigningKey, seq + data)'s
            -- first 8 bytes.
            item:add(f_checksum, body(8, 8))
            ntlmssp_data:call(body(8, 8):tvb(), pinfo, tree)
        elseif size > 0 and is_krb5_token(body(4, size):tvb(), 0x04) then
            krb5_token:call(body(4, size):tvb(), pinfo, tree)
        end
    elseif sealed and len >= 4 then
        local body = tvb(offset + 4, len):tvb()
        local size = math.min(body(0, 4):le_uint(), len - 4)
        item:add_le(f_trailer_size, body(0, 4))
        item:append_text(", sealed message")
        if size > 0 then item:add(f_trailer, body(4, size)) end
        if len - 4 - size > 0 then item:add(f_sealed, body(4 + size)) end
        if size == 16 and body(4, 4):le_uint() == 1 and len - 4 - size > 0 then
            -- NTLM: the data first, then the signature, as NTLMSSP's RC4 stream consumes them.
            ntlmssp_data:call(body(4 + size):tvb(), pinfo, tree)
            ntlmssp_verf:call(body(4, size):tvb(), pinfo, tree)
        elseif size > 0 and is_krb5_token(body(4, size):tvb(), 0x05) then
            krb5_token:call(body(4, size):tvb(), pinfo, tree)
        end
    elseif len > 0 then
        item:add(f_token, tvb(offset + head, len))
        gssapi:call(tvb(offset + head, len):tvb(), pinfo, tree)
    end
    return offset + head + len
end

function proto.dissector(tvb, pinfo, tree)
    local from_server = pinfo.src_port == port
    local offset = 0
    while offset < tvb:len() do
        local after = message(tvb, pinfo, tree, offset, from_server)
        if not after then
            pinfo.desegment_offset = offset
            pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
            return
        end
        offset = after
    end
    pinfo.cols.protocol:prepend("SSPI/")
end

DissectorTable.get("tcp.port"):add(port, proto)
