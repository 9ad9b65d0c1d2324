# Repair-RdpSecurityLayer.ps1 on the simulated host.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    $script:RdpTcp = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
    $script:Policy = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Repair-RdpSecurityLayer -Layer Negotiate on security-layer-rdp-with-nla' {
    BeforeEach { $null = Initialize-FixTestHost -Scenario 'security-layer-rdp-with-nla' }

    It '-WhatIf describes the change and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'security-layer/Repair-RdpSecurityLayer.ps1' -Parameters @{ Layer = 'Negotiate'; WhatIf = $true }
        $run.Result.outcome | Should -Be 'planned'
        $run.Planned[0].action | Should -Match 'from RDP \(0\) to Negotiate \(1\)'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'applied, the probe reads Negotiate; undo puts RDP back' {
        $before = Get-FixHostSection
        $run = Invoke-FixScript -Script 'security-layer/Repair-RdpSecurityLayer.ps1' -Parameters @{ Layer = 'Negotiate' }
        $run.ExitCode | Should -Be 0
        $run.Result.fixId | Should -Be 'security-layer.set-negotiate'
        $probe = Invoke-FixProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1'
        $probe.data.securityLayer.effective | Should -Be 1
        $probe.data.securityLayer.source | Should -Be 'local'
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        (Invoke-FixProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1').data.securityLayer.effective | Should -Be 0
        Get-FixHostSection | Should -BeExactly $before
    }

    It 'TLS applies too' {
        $run = Invoke-FixScript -Script 'security-layer/Repair-RdpSecurityLayer.ps1' -Parameters @{ Layer = 'Tls' }
        $run.ExitCode | Should -Be 0
        (Invoke-FixProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1').data.securityLayer.effective | Should -Be 2
    }

    It 'a failure after the change leaves the host as it was' {
        $before = Get-FixHostSection
        Set-FixHostFault -Command 'Get-CimInstance:Win32_TSGeneralSetting' -Fault @{ kind = 'access-denied'; after = 1 }
        $run = Invoke-FixScript -Script 'security-layer/Repair-RdpSecurityLayer.ps1' -Parameters @{ Layer = 'Negotiate' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.kind | Should -Be 'access-denied'
        $run.Result.restored[0].ok | Should -BeTrue
        Get-FixHostSection | Should -BeExactly $before
    }

}

Describe 'Repair-RdpSecurityLayer, other hosts' {
    It 'refuses RDP while NLA is required (healthy), and changes nothing' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'security-layer/Repair-RdpSecurityLayer.ps1' -Parameters @{ Layer = 'Rdp' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'Network Level Authentication'
        @($run.Result.restored).Count | Should -Be 0
        Get-FixHostText | Should -BeExactly $before
    }

    It 'sets RDP where NLA is off, saying it lowers security' {
        $null = Initialize-FixTestHost -Scenario 'nla-off-local'
        $run = Invoke-FixScript -Script 'security-layer/Repair-RdpSecurityLayer.ps1' -Parameters @{ Layer = 'Rdp' }
        $run.ExitCode | Should -Be 0
        ($run.Result.notes -join ' ') | Should -Match 'lowers security'
        (Invoke-FixProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1').data.securityLayer.effective | Should -Be 0
    }

    It 'refuses TLS while the encryption level is Low (1)' {
        $scenario = New-SimScenarioFile -Extends 'nla-off-local' -Name 'low-encryption' -Patch @{
            registry = @{ $script:RdpTcp = @{ SecurityLayer = 1; MinEncryptionLevel = 1 } }
            cim = @{ 'root/cimv2/terminalservices:Win32_TSGeneralSetting' = @{ 'RDP-Tcp' = @{ SecurityLayer = 1; MinEncryptionLevel = 1 } } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'security-layer/Repair-RdpSecurityLayer.ps1' -Parameters @{ Layer = 'Tls' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'MinEncryptionLevel 1'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'changes nothing and names the policy when group policy sets SecurityLayer' {
        $scenario = New-SimScenarioFile -Extends 'security-layer-rdp-with-nla' -Name 'layer-policy' -Patch @{
            registry = @{ $script:Policy = @{ SecurityLayer = 0 } }
            cim = @{ 'root/cimv2/terminalservices:Win32_TSGeneralSetting' = @{ 'RDP-Tcp' = @{ PolicySourceSecurityLayer = 1 } } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'security-layer/Repair-RdpSecurityLayer.ps1' -Parameters @{ Layer = 'Negotiate' }
        $run.ExitCode | Should -Be 2
        $run.Result.policy.name | Should -Be 'SecurityLayer'
        $run.Result.policy.path | Should -Be $script:Policy
        Get-FixHostText | Should -BeExactly $before
    }

    It 'accepts only the layers of its ValidateSet' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        { & (Join-Path $script:RepoRoot 'probes/security-layer/Repair-RdpSecurityLayer.ps1') -Layer 'SSL' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpSecurityLayer.ps1'
    }
}
