# Real host only (tag RealHost): the handshake against the runner's own TermService on 3389
# serves the certificate the certificate probe reads as bound (RDP-Tcp's SSLCertificateSHA1Hash).
BeforeAll {
    . (Join-Path $PSScriptRoot 'RealHostCli.ps1')
    $findings = Get-RdpHealthFinding -Probe 'certificate', 'handshake'
    $handshake = $findings | Where-Object probeId -eq 'handshake'
    $certificate = & (Join-Path $script:CliRepoRoot 'probes/certificate/Get-RdpCertificate.ps1') | ConvertFrom-Json
}

Describe 'The handshake with this host''s own TermService' -Tag 'RealHost' {
    It 'completes: the listener answers X.224 and TLS on 3389' {
        $handshake.status | Should -Not -Be 'fail' -Because $handshake.summary
        $handshake.evidence.'Certificate thumbprint' | Should -Match '^[0-9A-F]{40}$'
    }

    It 'is served the certificate the certificate probe reads as bound' {
        $certificate.ok | Should -BeTrue
        $bound = ($certificate.data.boundThumbprint -replace '[^0-9A-Fa-f]', '').ToUpperInvariant()
        $handshake.evidence.'Certificate thumbprint' | Should -Be $bound
        $handshake.evidence.'Served certificate is the bound one' | Should -Be 'yes'
    }
}
