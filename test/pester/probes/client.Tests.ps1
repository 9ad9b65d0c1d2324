BeforeAll { . (Join-Path $PSScriptRoot '../SimHost.ps1') }

Describe 'Get-RdpClientHistory' {
    It 'reads the MRU list, the Servers keys and the .rdp files of a client (client-windows11-home)' {
        $result = Invoke-SimProbe -Script 'client/Get-RdpClientHistory.ps1' -Scenario 'client-windows11-home'
        $result.ok | Should -BeTrue
        @($result.data.mru.target) | Should -Be @('rdphost01.contoso.com', '10.20.0.15', 'oldserver:3390')
        ($result.data.servers | Where-Object host -EQ '10.20.0.15').certHash | Should -Be '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12'
        $result.data.documents | Should -Be 'C:\Users\alice\Documents'
        @($result.data.rdpFiles.name) | Should -Be @('broken.rdp', 'Old server.rdp', 'Work desktop.rdp')
        ($result.data.rdpFiles | Where-Object name -EQ 'Old server.rdp').text | Should -Match 'enablecredsspsupport:i:0'
    }

    It 'returns empty lists for a user with no history (healthy)' {
        $result = Invoke-SimProbe -Script 'client/Get-RdpClientHistory.ps1' -Scenario 'healthy'
        $result.ok | Should -BeTrue
        @($result.data.mru).Count | Should -Be 0
        @($result.data.rdpFiles).Count | Should -Be 0
    }
}

Describe 'Get-RdpClientSettings' {
    It 'reads a client TLS version turned off in the registry and the OS defaults for the others (client-tls12-disabled)' {
        $result = Invoke-SimProbe -Script 'client/Get-RdpClientSettings.ps1' -Scenario 'client-tls12-disabled'
        $result.ok | Should -BeTrue
        $tls12 = $result.data.tls | Where-Object version -EQ '1.2'
        $tls12.effective | Should -BeFalse
        $tls12.source | Should -Be 'registry'
        ($result.data.tls | Where-Object version -EQ '1.3').source | Should -Be 'os-default'
        ($result.data.tls | Where-Object version -EQ '1.3').effective | Should -BeTrue
        $result.data.credSsp.allowEncryptionOracle | Should -Be 0
        $result.data.os.editionId | Should -Be 'Core'
        $result.data.rdpHost.denyConnections | Should -Be 1
    }

    It 'pairs nothing itself but returns the client events with their reason codes and server names' {
        $result = Invoke-SimProbe -Script 'client/Get-RdpClientSettings.ps1' -Scenario 'client-windows11-home'
        (@($result.data.events) | Where-Object id -EQ 1026).reason | Should -Contain 2308
        (@($result.data.events) | Where-Object id -EQ 1024).server | Should -Contain 'rdphost01.contoso.com'
    }

    It 'reports no events, not a failure, when the client log has none (healthy)' {
        $result = Invoke-SimProbe -Script 'client/Get-RdpClientSettings.ps1' -Scenario 'healthy'
        $result.ok | Should -BeTrue
        @($result.data.events).Count | Should -Be 0
        $result.data.credSsp.allowEncryptionOracle | Should -BeNullOrEmpty
    }
}
