#Requires -Version 5.1
<#
.SYNOPSIS
Defines Test-RdpTls13Handshake (dot-source this file): does Remote Desktop on this computer complete a
TLS 1.3 handshake after the X.224 negotiation? Used by Test-RdpHealthAssumptions.ps1.

.DESCRIPTION
Connects to 127.0.0.1:<port>, sends an X.224 Connection Request carrying RDP_NEG_REQ with
requestedProtocols = 1 (TLS; MS-RDPBCGR 2.2.1.1), reads the reply and, if the server selected TLS
or CredSSP, starts TLS with TLS 1.3 only. Never logs in; the certificate is not validated (only the
version is of interest).

.OUTPUTS
System.String: 'accepted (<protocol>, <cipher>)', 'refused: <why>', or 'not tested: <why>'.
#>

function Test-RdpTls13Handshake {
    <#
    .SYNOPSIS
    One X.224 + TLS 1.3 attempt against the local RDP listener.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidateRange(1, 65535)][int]$Port, [int]$TimeoutMilliseconds = 5000)
    $client = New-Object System.Net.Sockets.TcpClient
    try {
        try {
            if (-not $client.ConnectAsync('127.0.0.1', $Port).Wait($TimeoutMilliseconds)) { return "not tested: nothing answered on 127.0.0.1:$Port in time" }
        } catch { return "not tested: could not connect to 127.0.0.1:$Port ($($_.Exception.InnerException.Message))" }
        $stream = $client.GetStream()
        $stream.ReadTimeout = $TimeoutMilliseconds
        $stream.WriteTimeout = $TimeoutMilliseconds
        # TPKT (19 bytes) + X.224 CR + RDP_NEG_REQ (type 1, length 8, requestedProtocols 1 = TLS).
        [byte[]]$request = 0x03, 0x00, 0x00, 0x13, 0x0E, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00
        $stream.Write($request, 0, $request.Length)
        $reply = New-Object byte[] 19
        $read = 0
        while ($read -lt $reply.Length) {
            $n = $stream.Read($reply, $read, $reply.Length - $read)
            if ($n -le 0) { break }
            $read += $n
        }
        if ($read -lt 19 -or $reply[0] -ne 3) { return "not tested: the X.224 reply was $read bytes, not an RDP negotiation response" }
        if ($reply[11] -eq 3) { return "not tested: the server refused TLS in the negotiation (RDP_NEG_FAILURE code $($reply[15]))" }
        if ($reply[11] -ne 2 -or ($reply[15] -band 3) -eq 0) { return 'not tested: the server selected standard RDP security, not TLS' }
        $accept = [System.Net.Security.RemoteCertificateValidationCallback] { param($sender, $certificate, $chain, $errors) $true }
        $ssl = New-Object System.Net.Security.SslStream($stream, $false, $accept)
        try {
            # 12288 = SslProtocols.Tls13 (not named on every .NET Framework).
            $ssl.AuthenticateAsClient('localhost', $null, [System.Security.Authentication.SslProtocols]12288, $false)
            return "accepted ($($ssl.SslProtocol), $($ssl.CipherAlgorithm) $($ssl.CipherStrength))"
        } catch {
            $inner = $_.Exception
            while ($null -ne $inner.InnerException) { $inner = $inner.InnerException }
            return "refused: $($inner.GetType().Name) $('0x{0:X8}' -f $inner.HResult)"
        } finally { $ssl.Dispose() }
    } finally { $client.Close() }
}
