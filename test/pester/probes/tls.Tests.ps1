BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:Tls12Server = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server'
    $script:Tls13Server = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Server'
    $script:VersionKey = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    function Get-Protocol($Result, [string]$Version) { @($Result.data.protocols | Where-Object { $_.version -eq $Version })[0] }
}

Describe 'Get-RdpTls' {
    It 'reports the Windows Server 2022 defaults, TLS 1.3 included, on a healthy host' {
        $result = Invoke-SimProbe -Script 'tls/Get-RdpTls.ps1' -Scenario 'healthy'
        $result.ok | Should -BeTrue
        $result.probe | Should -Be 'tls'
        $result.data.os.build | Should -Be 20348
        $result.data.os.productName | Should -Be 'Windows Server 2022 Datacenter'
        $result.data.os.installationType | Should -Be 'Server'
        @($result.data.protocols).Count | Should -Be 4
        @($result.data.protocols.version) | Should -Be @('1.0', '1.1', '1.2', '1.3')
        foreach ($version in '1.0', '1.1', '1.2', '1.3') {
            $protocol = Get-Protocol $result $version
            $protocol.keyPresent | Should -BeFalse
            $protocol.enabled | Should -BeNullOrEmpty
            $protocol.disabledByDefault | Should -BeNullOrEmpty
            $protocol.supported | Should -BeTrue
            $protocol.effective | Should -BeTrue
            $protocol.source | Should -Be 'os-default'
        }
        $result.data.cipherSuitePolicy.functions | Should -BeNullOrEmpty
        @($result.data.cipherSuites).Count | Should -Be 5
        $result.data.cipherSuites[0].name | Should -Be 'TLS_AES_256_GCM_SHA384'
        @($result.data.cipherSuites[0].protocols) | Should -Be @(772)
        @($result.data.cipherSuites[4].protocols) | Should -Be @(769, 770, 771)
    }

    It 'reports TLS 1.2 off by the registry and no TLS 1.3 on Server 2019 (tls12-disabled)' {
        $result = Invoke-SimProbe -Script 'tls/Get-RdpTls.ps1' -Scenario 'tls12-disabled'
        $result.data.os.build | Should -Be 17763
        $tls12 = Get-Protocol $result '1.2'
        $tls12.keyPresent | Should -BeTrue
        $tls12.enabled | Should -Be 0
        $tls12.disabledByDefault | Should -Be 1
        $tls12.osDefault | Should -BeTrue
        $tls12.effective | Should -BeFalse
        $tls12.source | Should -Be 'registry'
        $tls13 = Get-Protocol $result '1.3'
        $tls13.supported | Should -BeFalse
        $tls13.effective | Should -BeFalse
        $tls13.source | Should -Be 'os-default'
        (Get-Protocol $result '1.0').effective | Should -BeTrue
        @($result.data.cipherSuites | Where-Object { $_.protocols -contains 772 }).Count | Should -Be 0
    }

    It 'reports the same TLS state on <_>, where only RDP settings differ' -ForEach @('nla-off-local', 'nla-off-by-policy', 'security-layer-rdp-with-nla') {
        $result = Invoke-SimProbe -Script 'tls/Get-RdpTls.ps1' -Scenario $_
        (Get-Protocol $result '1.2').effective | Should -BeTrue
        (Get-Protocol $result '1.3').effective | Should -BeTrue
    }

    It 'turns TLS 1.0 and 1.1 off by default from build 26100 (Server 2025)' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ $script:VersionKey = @{ CurrentBuild = '26100'; ProductName = 'Windows Server 2025 Datacenter' } } }
        $result = Invoke-SimProbe -Script 'tls/Get-RdpTls.ps1' -Scenario $scenario
        (Get-Protocol $result '1.0').effective | Should -BeFalse
        (Get-Protocol $result '1.1').effective | Should -BeFalse
        (Get-Protocol $result '1.0').source | Should -Be 'os-default'
        (Get-Protocol $result '1.2').effective | Should -BeTrue
        (Get-Protocol $result '1.3').effective | Should -BeTrue
    }

    It 'reports an explicit Enabled=1 as registry-enabled, and DisabledByDefault=1 alone as unknown' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{
                $script:Tls12Server = @{ Enabled = 1; DisabledByDefault = 0 }
                $script:Tls13Server = @{ DisabledByDefault = 1 }
            } }
        $result = Invoke-SimProbe -Script 'tls/Get-RdpTls.ps1' -Scenario $scenario
        (Get-Protocol $result '1.2').effective | Should -BeTrue
        (Get-Protocol $result '1.2').source | Should -Be 'registry'
        (Get-Protocol $result '1.3').effective | Should -BeNullOrEmpty
        (Get-Protocol $result '1.3').source | Should -Be 'registry'
        (Get-Protocol $result '1.3').disabledByDefault | Should -Be 1
    }

    It 'reports every default as unknown when the build cannot be read' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ $script:VersionKey = @{ CurrentBuild = $null } } }
        $result = Invoke-SimProbe -Script 'tls/Get-RdpTls.ps1' -Scenario $scenario
        $result.data.os.build | Should -BeNullOrEmpty
        foreach ($protocol in $result.data.protocols) { $protocol.effective | Should -BeNullOrEmpty }
    }

    It 'reads the cipher suite order policy as a list of names' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{
                'HKLM:\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL\00010002' = @{ Functions = 'TLS_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' }
            } }
        $result = Invoke-SimProbe -Script 'tls/Get-RdpTls.ps1' -Scenario $scenario
        @($result.data.cipherSuitePolicy.functions) | Should -Be @('TLS_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384')
    }

    It 'keeps a single-entry policy and a single suite as arrays' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{
            registry = @{ 'HKLM:\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL\00010002' = @{ Functions = 'TLS_AES_256_GCM_SHA384' } }
            tls      = @{ cipherSuites = @(@{ Name = 'TLS_AES_256_GCM_SHA384'; Protocols = @(772) }) }
        }
        $state = Initialize-SimHost -Scenario $scenario
        try { $json = & (Join-Path $script:RepoRoot 'probes/tls/Get-RdpTls.ps1') } finally { Remove-Item -LiteralPath $state }
        $json | Should -Match '"functions":\["TLS_AES_256_GCM_SHA384"\]'
        $json | Should -Match '"cipherSuites":\[\{"name":"TLS_AES_256_GCM_SHA384","protocols":\[772\]\}\]'
    }

    It 'reports null cipher suites, not a failure, where Get-TlsCipherSuite does not exist' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ tls = @{ cipherSuites = $null } }
        $result = Invoke-SimProbe -Script 'tls/Get-RdpTls.ps1' -Scenario $scenario
        $result.ok | Should -BeTrue
        $result.data.cipherSuites | Should -BeNullOrEmpty
        (Get-Protocol $result '1.2').effective | Should -BeTrue
    }

    It 'reports an empty cipher suite list as an empty array' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ tls = @{ cipherSuites = @() } }
        $state = Initialize-SimHost -Scenario $scenario
        try { $json = & (Join-Path $script:RepoRoot 'probes/tls/Get-RdpTls.ps1') } finally { Remove-Item -LiteralPath $state }
        $json | Should -Match '"cipherSuites":\[\]'
    }

    It 'reports access denied on the SCHANNEL key as an error envelope of that kind' {
        $scenario = New-SimScenarioFile -Extends 'tls12-disabled' -Patch @{ registryDenied = @($script:Tls12Server) }
        $result = Invoke-SimProbe -Script 'tls/Get-RdpTls.ps1' -Scenario $scenario
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'access-denied'
    }
}
