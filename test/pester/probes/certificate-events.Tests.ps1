# The certificate probe reads Schannel 36872 ("no suitable default server credential") with 36870
# (the private key cannot be accessed): Microsoft's troubleshooting reads them together (issue 11 item 14).
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
}

Describe 'Get-RdpCertificate events' {
    It 'reports Schannel 36870 and 36872 (schannel-key-not-accessible)' {
        $result = Invoke-SimProbe -Script 'certificate/Get-RdpCertificate.ps1' -Scenario 'schannel-key-not-accessible'
        $result.data.events.readable | Should -BeTrue
        @($result.data.events.items | ForEach-Object { "$($_.providerName) $($_.id)" } | Sort-Object) | Should -Be @('Schannel 36870', 'Schannel 36872')
        @($result.data.events.items | Where-Object id -eq 36872)[0].message | Should -Match '^No suitable default server credential'
    }
}
