BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:Probe = 'certificate/Get-RdpCertificate.ps1'
    $script:SelfSigned = '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12'
    function Get-DaysLeft([string]$IsoDate) { ([datetime]::Parse($IsoDate, [cultureinfo]::InvariantCulture, 'RoundtripKind') - [datetime]::UtcNow).TotalDays }
}

Describe 'Get-RdpCertificate' {
    It 'reports the self-signed certificate bound on a healthy host' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'healthy'
        $result.ok | Should -BeTrue
        $data = $result.data
        $data.boundThumbprint | Should -Be $SelfSigned
        $data.bindingType | Should -Be 1
        $data.boundFound | Should -BeTrue
        $data.boundStore | Should -Be 'Remote Desktop'
        # The self-signed binding's registry copy is WinStations\SelfSignedCertificate.
        $data.registryThumbprint | Should -Be $SelfSigned
        $data.boundCertificate.subject | Should -Be 'CN=RDPHOST01'
        $data.boundCertificate.selfSigned | Should -BeTrue
        $data.boundCertificate.hasPrivateKey | Should -BeTrue
        Get-DaysLeft $data.boundCertificate.notAfter | Should -BeGreaterThan 63
        Get-DaysLeft $data.boundCertificate.notAfter | Should -BeLessThan 65
        @($data.expiredCertificates).Count | Should -Be 0
        @($data.services | Where-Object state -EQ 'Running').Count | Should -Be 4
        ($data.services.name -join ',') | Should -Be 'SessionEnv,CertPropSvc,KeyIso,CryptSvc'
        $data.events.readable | Should -BeTrue
        @($data.events.items).Count | Should -Be 0
        ($data.stores | ForEach-Object { "$($_.name)=$($_.count)" }) -join ',' | Should -Be 'Remote Desktop=1,My=0'
    }

    It 'reports an expired self-signed certificate, the other expired one, and event 1058 counted' {
        $data = (Invoke-SimProbe -Script $Probe -Scenario 'cert-self-signed-expired').data
        $data.boundThumbprint | Should -Be $SelfSigned
        Get-DaysLeft $data.boundCertificate.notAfter | Should -BeLessThan -2.9
        @($data.expiredCertificates).Count | Should -Be 1
        $data.expiredCertificates[0].thumbprint | Should -Be '0A1B2C3D4E5F60718293A4B5C6D7E8F901234567'
        $data.expiredCertificates[0].store | Should -Be 'Remote Desktop'
        $event1058 = @($data.events.items | Where-Object id -EQ 1058)
        $event1058.Count | Should -Be 1
        $event1058[0].count | Should -Be 2
        $event1058[0].providerName | Should -Be 'Microsoft-Windows-TerminalServices-RemoteConnectionManager'
        Get-DaysLeft $event1058[0].newest | Should -BeGreaterThan -1.1
        @($data.events.items | Where-Object id -EQ 36870).Count | Should -Be 1
        # The Application log event with id 1000 is not one of ours.
        @($data.events.items).Count | Should -Be 2
    }

    It 'reports a certificate expiring in five days' {
        $data = (Invoke-SimProbe -Script $Probe -Scenario 'cert-expiring-5-days').data
        Get-DaysLeft $data.boundCertificate.notAfter | Should -BeGreaterThan 4.9
        Get-DaysLeft $data.boundCertificate.notAfter | Should -BeLessThan 5.1
    }

    It 'finds a CA-issued (type 3) certificate in My and hex-encodes the REG_BINARY copy' {
        $data = (Invoke-SimProbe -Script $Probe -Scenario 'cert-ca-issued').data
        $data.bindingType | Should -Be 3
        $data.boundThumbprint | Should -Be 'C7A1E93F2B4D6F8091A2B3C4D5E6F708192A3B4C'
        $data.registryThumbprint | Should -Be 'C7A1E93F2B4D6F8091A2B3C4D5E6F708192A3B4C'
        $data.thumbprintsAgree | Should -BeTrue
        $data.boundStore | Should -Be 'My'
        $data.boundCertificate.selfSigned | Should -BeFalse
        $data.boundCertificate.issuer | Should -Match '^CN=Corp Issuing CA 01'
    }

    It 'reports a bound thumbprint that is in neither store' {
        $data = (Invoke-SimProbe -Script $Probe -Scenario 'cert-bound-missing').data
        $data.boundThumbprint | Should -Be 'D41D8CD98F00B204E9800998ECF8427E12345678'
        $data.boundFound | Should -BeFalse
        $data.boundCertificate | Should -BeNullOrEmpty
        @($data.boundFoundIn).Count | Should -Be 0
    }

    It 'reports stopped and disabled renewal services (evidence only: cert-renewal-services-stopped)' {
        $data = (Invoke-SimProbe -Script $Probe -Scenario 'cert-renewal-services-stopped').data
        ($data.services | Where-Object name -EQ 'CertPropSvc').state | Should -Be 'Stopped'
        ($data.services | Where-Object name -EQ 'KeyIso').startMode | Should -Be 'Disabled'
        ($data.services | Where-Object name -EQ 'SessionEnv').state | Should -Be 'Running'
    }

    It 'reports a stopped SessionEnv and a service that is not installed' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ cim = @{ 'root/cimv2:Win32_Service' = @{ SessionEnv = @{ State = 'Stopped' }; CryptSvc = $null } } }
        $data = (Invoke-SimProbe -Script $Probe -Scenario $scenario).data
        ($data.services | Where-Object name -EQ 'SessionEnv').state | Should -Be 'Stopped'
        $crypt = $data.services | Where-Object name -EQ 'CryptSvc'
        $crypt.present | Should -BeFalse
        $crypt.state | Should -BeNullOrEmpty
    }

    It 'uses the registry''s custom copy when WMI has no hash, and sees a custom copy that disagrees with a type 1 binding' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{
            registry = @{ 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' = @{ SSLCertificateSHA1Hash = @{ binary = '00112233445566778899AABBCCDDEEFF00112233' } } }
        }
        $data = (Invoke-SimProbe -Script $Probe -Scenario $scenario).data
        $data.registryThumbprint | Should -Be '00112233445566778899AABBCCDDEEFF00112233'
        $data.thumbprintsAgree | Should -BeFalse
        $data.boundThumbprint | Should -Be $SelfSigned

        $noWmi = New-SimScenarioFile -Name 'nowmi' -Extends $scenario -Patch @{ cim = @{ 'root/cimv2/terminalservices:Win32_TSGeneralSetting' = @{ 'RDP-Tcp' = @{ SSLCertificateSHA1Hash = '' } } } }
        $data = (Invoke-SimProbe -Script $Probe -Scenario $noWmi).data
        $data.wmiThumbprint | Should -BeNullOrEmpty
        $data.boundThumbprint | Should -Be '00112233445566778899AABBCCDDEEFF00112233'
    }

    It 'normalizes a thumbprint typed with spaces and lower case' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ cim = @{ 'root/cimv2/terminalservices:Win32_TSGeneralSetting' = @{ 'RDP-Tcp' = @{ SSLCertificateSHA1Hash = '5e 8b 2a 4f 9c 1d 3e 7a 6b 0f 2c 4d 8e 1a 3b 5c 7d 9e 0f 12' } } } }
        $data = (Invoke-SimProbe -Script $Probe -Scenario $scenario).data
        $data.boundThumbprint | Should -Be $SelfSigned
        $data.boundFound | Should -BeTrue
    }

    It 'keeps working when the event log cannot be read' {
        $scenario = New-SimScenarioFile -Extends 'cert-self-signed-expired' -Patch @{ faults = @{ 'Get-WinEvent' = @{ kind = 'access-denied' } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.ok | Should -BeTrue
        $result.data.events.readable | Should -BeFalse
        $result.data.events.errorKind | Should -Be 'access-denied'
        $result.data.boundFound | Should -BeTrue
    }

    It 'reports a missing Remote Desktop store as not present' {
        $scenario = New-SimScenarioFile -Extends 'cert-ca-issued' -Patch @{ certificates = @{ 'LocalMachine\Remote Desktop' = $null } }
        $data = (Invoke-SimProbe -Script $Probe -Scenario $scenario).data
        ($data.stores | Where-Object name -EQ 'Remote Desktop').present | Should -BeFalse
        $data.boundFound | Should -BeTrue
    }

    It 'reports a certificate store it may not read as access denied, not as missing' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ host = @{ identity = 'uac-admin'; adminOnly = @{ certificateStores = @('LocalMachine\Remote Desktop') } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.ok | Should -BeTrue
        ($result.data.stores | Where-Object name -EQ 'Remote Desktop').access | Should -Be 'denied'
        $result.data.boundFound | Should -BeFalse
    }
}
