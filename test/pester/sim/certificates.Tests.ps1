# The simulated certificate store changes the renewal fix relies on: Remove-Item on Cert: paths (the
# key stays behind), Import-Certificate + certutil -repairstore (the key found again, or not), and
# Windows making a new self-signed certificate when SessionEnv starts - only when it should.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:Bound = '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12'
    $script:Store = 'Cert:\LocalMachine\Remote Desktop'
    $script:KeyFile = 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_3f1e2d4c-5b6a-4789-9abc-def012345678'
    function Get-Binding { (Get-CimInstance -Namespace 'root/cimv2/TerminalServices' -ClassName 'Win32_TSGeneralSetting' -Filter "TerminalName='RDP-Tcp'").SSLCertificateSHA1Hash }
    function Get-Thumbprints { @(Get-ChildItem -LiteralPath $script:Store | ForEach-Object Thumbprint) }
}

Describe 'Cert: removal and re-import' {
    BeforeEach { $script:State = Initialize-SimHost -Scenario 'cert-self-signed-expired' }
    AfterEach { Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue }

    It 'Remove-Item deletes one certificate and leaves its key file; -WhatIf and a missing one change nothing' {
        Remove-Item -LiteralPath "$Store\$Bound" -WhatIf
        Get-Thumbprints | Should -Contain $Bound
        { Remove-Item -LiteralPath "$Store\FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF" -ErrorAction Stop } | Should -Throw -ExceptionType ([System.Management.Automation.ItemNotFoundException])
        Remove-Item -LiteralPath "$Store\$Bound"
        Get-Thumbprints | Should -Not -Contain $Bound
        (Get-SimSection -Key 'files').Contains($KeyFile) | Should -BeTrue
        (Get-SimSection -Key 'orphanedKeys').Contains("sim-key:$Bound") | Should -BeTrue
        { Remove-Item -LiteralPath $Store } | Should -Throw -ExceptionType ([System.NotSupportedException])
    }

    It 'Remove-Item -DeleteKey takes the key file with it' {
        Remove-Item -LiteralPath "$Store\$Bound" -DeleteKey
        (Get-SimSection -Key 'files').Contains($KeyFile) | Should -BeFalse
    }

    It 'Import-Certificate brings the certificate back without its key; certutil -repairstore finds the key again' {
        $raw = (Get-Item -LiteralPath "$Store\$Bound").RawData
        $file = Join-Path $TestDrive 'bound.cer'
        [System.IO.File]::WriteAllBytes($file, $raw)
        Remove-Item -LiteralPath "$Store\$Bound"
        $imported = Import-Certificate -FilePath $file -CertStoreLocation $Store
        $imported.Thumbprint | Should -Be $Bound
        $imported.HasPrivateKey | Should -BeFalse
        $null = certutil.exe -repairstore 'Remote Desktop' $Bound
        $LASTEXITCODE | Should -Be 0
        $item = Get-Item -LiteralPath "$Store\$Bound"
        $item.HasPrivateKey | Should -BeTrue
        $item.PrivateKey.CspKeyContainerInfo.KeyContainerName | Should -Be 'TSSecKeySet1'
        (Get-SimState).Contains('orphanedKeys') | Should -BeFalse
    }

    It 'certutil -repairstore fails with NTE_BAD_KEYSET when the key file holds another key, and 0x80092004 for an unknown certificate' {
        $raw = (Get-Item -LiteralPath "$Store\$Bound").RawData
        $file = Join-Path $TestDrive 'bound.cer'
        [System.IO.File]::WriteAllBytes($file, $raw)
        Remove-Item -LiteralPath "$Store\$Bound"
        $state = Get-SimState; $state['files'][$KeyFile]['publicKey'] = 'sim-key:SOMETHINGELSE'; Save-SimState -State $state
        $null = Import-Certificate -FilePath $file -CertStoreLocation $Store
        $null = certutil.exe -repairstore 'Remote Desktop' $Bound
        $LASTEXITCODE | Should -Be -2146893802
        (Get-Item -LiteralPath "$Store\$Bound").HasPrivateKey | Should -BeFalse
        $null = certutil.exe -repairstore 'Remote Desktop' 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'
        $LASTEXITCODE | Should -Be -2146885628
        { certutil.exe -delstore 'Remote Desktop' $Bound } | Should -Throw -ExceptionType ([System.NotSupportedException])
    }

    It 'Import-Certificate refuses a file that is not a certificate' {
        $file = Join-Path $TestDrive 'not.cer'
        Set-Content -LiteralPath $file -Value 'hello'
        { Import-Certificate -FilePath $file -CertStoreLocation $Store } | Should -Throw -ExceptionType ([System.Security.Cryptography.CryptographicException])
    }
}

Describe 'Windows making a new self-signed certificate when SessionEnv starts' {
    AfterEach { Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue }

    It 'replaces an expired bound certificate: new thumbprint, bound in WMI, key file now holds its key' {
        $script:State = Initialize-SimHost -Scenario 'cert-self-signed-expired'
        Restart-Service -Name 'SessionEnv'
        $new = Get-Binding
        $new | Should -Not -Be $Bound
        $certificate = Get-Item -LiteralPath "$Store\$new"
        $certificate.Subject | Should -Be 'CN=RDPHOST01'
        $certificate.NotAfter | Should -BeGreaterThan (Get-Date).AddDays(150)
        $certificate.PrivateKey.CspKeyContainerInfo.UniqueKeyContainerName | Should -Be (Split-Path -Leaf $KeyFile)
        (Get-SimSection -Key 'files')[$KeyFile]['publicKey'] | Should -Be "sim-key:$new"
        # Its ACL is the file's own (NETWORK SERVICE still reads).
        @((Get-SimSection -Key 'files')[$KeyFile]['acl']).Count | Should -Be 3
    }

    It 'leaves a valid self-signed certificate and a type 3 binding alone (<Scenario>)' -ForEach @(
        @{ Scenario = 'healthy' }
        @{ Scenario = 'cert-ca-issued' }
    ) {
        $script:State = Initialize-SimHost -Scenario $Scenario
        $before = Get-Binding
        Restart-Service -Name 'SessionEnv'
        Get-Binding | Should -Be $before
        @(Get-SimSection -Key 'events').Count | Should -Be 0
    }

    It 'logs event 1058 and changes nothing while CryptSvc is disabled' {
        $scenario = New-SimScenarioFile -Extends 'cert-self-signed-expired' -Name 'stopped' -Patch @{
            cim = @{ 'root/cimv2:Win32_Service' = @{ CryptSvc = @{ State = 'Stopped'; StartMode = 'Disabled'; ProcessId = 0; Started = $false } } }
        }
        $script:State = Initialize-SimHost -Scenario $scenario
        Restart-Service -Name 'SessionEnv'
        Get-Binding | Should -Be $Bound
        $events = @(Get-SimSection -Key 'events' | Where-Object { $_['Id'] -eq 1058 })
        $events.Count | Should -Be 3
        $events[-1]['Message'] | Should -Match 'CryptSvc is disabled'
    }

    It 'does not react to other services starting' {
        $script:State = Initialize-SimHost -Scenario 'cert-self-signed-expired'
        Restart-Service -Name 'TermService' -Force
        Get-Binding | Should -Be $Bound
    }
}
