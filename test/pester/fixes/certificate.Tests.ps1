# Repair-RdpCertificate.ps1 on the simulated host: preview, renewal (Windows makes the new certificate
# when SessionEnv restarts: sim/shadows/CertificateRegeneration.ps1), verification by the
# probes, undo, failures half way, and every refusal (type 2/3 bindings, broker, stopped services).
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    $script:Fix = 'certificate/Repair-RdpCertificate.ps1'
    $script:Bound = '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12'
    $script:OlderExpired = '0A1B2C3D4E5F60718293A4B5C6D7E8F901234567'
    $script:Setting = 'root/cimv2/terminalservices:Win32_TSGeneralSetting'
    $script:RemoteDesktop = 'LocalMachine\Remote Desktop'

    function ConvertTo-SortedNode {
        <# A state node with dictionary keys sorted (a store lists certificates in no particular order). #>
        param($Node)
        if ($Node -is [System.Collections.IDictionary]) {
            $sorted = [ordered]@{}
            foreach ($key in @($Node.Keys | Sort-Object)) { $sorted[$key] = ConvertTo-SortedNode $Node[$key] }
            return $sorted
        }
        if ($Node -is [System.Collections.IList]) { return , @(foreach ($item in $Node) { ConvertTo-SortedNode $item }) }
        $Node
    }
    function Get-CertHostSection {
        <#
        Everything a renewal may touch: certificates, key files, registry, the binding, left-behind keys,
        and the services' state and start mode (a restarted service has a new process id, nothing else).
        #>
        $state = Get-SimState
        $services = [ordered]@{}
        $table = $state['cim']['root/cimv2:Win32_Service']
        foreach ($name in $table.Keys) { $services[$name] = "$($table[$name]['State']) $($table[$name]['StartMode'])" }
        $cim = [ordered]@{}
        foreach ($class in $state['cim'].Keys) { if ($class -ne 'root/cimv2:Win32_Service') { $cim[$class] = $state['cim'][$class] } }
        $orphaned = if ($state.Contains('orphanedKeys')) { $state['orphanedKeys'] } else { $null }
        ConvertTo-Json -Depth 64 -InputObject (ConvertTo-SortedNode ([ordered]@{
                    certificates = $state['certificates']; files = $state['files']; registry = $state['registry']; cim = $cim; services = $services; orphanedKeys = $orphaned
                }))
    }
    function Get-CertificateData { (Invoke-FixProbe -Script 'certificate/Get-RdpCertificate.ps1').data }
    function Get-StoreThumbprint { @((Get-SimSection -Key 'certificates', $script:RemoteDesktop).Keys) }
    function Assert-Renewed {
        <# The certificate probe reads what makes its finding ok: a new, valid, self-signed, type 1 certificate with its key. #>
        param([string[]]$Old, [int]$MinDays = 150)
        $data = Get-CertificateData
        $data.boundThumbprint | Should -Not -BeNullOrEmpty
        $Old | Should -Not -Contain $data.boundThumbprint
        $data.bindingType | Should -Be 1
        $data.boundFound | Should -BeTrue
        $data.boundStore | Should -Be 'Remote Desktop'
        $data.boundCertificate.selfSigned | Should -BeTrue
        $data.boundCertificate.hasPrivateKey | Should -BeTrue
        ([datetime]$data.boundCertificate.notBefore).ToUniversalTime() | Should -BeLessOrEqual ([datetime]::UtcNow)
        ([datetime]$data.boundCertificate.notAfter).ToUniversalTime() | Should -BeGreaterThan ([datetime]::UtcNow.AddDays($MinDays))
        @($data.expiredCertificates).Count | Should -Be 0
        @($data.services | Where-Object { $_.state -ne 'Running' }).Count | Should -Be 0
        $data
    }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Repair-RdpCertificate on cert-self-signed-expired' {
    BeforeEach { $testHost = Initialize-FixTestHost -Scenario 'cert-self-signed-expired' }

    It '-WhatIf plans every expired self-signed certificate (the bound one last) and the restart, and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; WhatIf = $true }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'planned'
        @($run.Planned).Count | Should -Be 3
        $run.Planned[0].target | Should -Match $OlderExpired
        $run.Planned[0].action | Should -Match '^Delete an old self-signed certificate, which expired on'
        $run.Planned[1].target | Should -Match $Bound
        $run.Planned[1].action | Should -Match '^Delete the certificate Remote Desktop uses'
        $run.Planned[2].target | Should -Be 'Remote Desktop Configuration (SessionEnv)'
        $run.Result.details.oldThumbprint | Should -Be $Bound
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath $testHost.FixRoot | Should -BeFalse
    }

    It 'applied: both expired certificates are gone, Windows bound a new one, and the probes read it as healthy' {
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; Scope = 'ExpiringOrExpired' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        @($run.Result.changes).Count | Should -Be 3
        $run.Result.rebootRequired | Should -BeFalse
        $data = Assert-Renewed -Old @($Bound, $OlderExpired)
        $run.Result.details.newThumbprint | Should -Be $data.boundThumbprint
        @(Get-StoreThumbprint) | Should -Be @($data.boundThumbprint)
        # TermService was not restarted: the RDP session is still there.
        @((Get-SimSection -Key 'sessions').Keys) | Should -Be @('2')
        $keyAccess = (Invoke-FixProbe -Script 'key-access/Get-RdpKeyAccess.ps1').data
        $keyAccess.networkServiceRead | Should -BeTrue
        $keyAccess.certificateFound | Should -BeTrue
        $record = Get-Content -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") -Raw | ConvertFrom-Json
        @($record.steps.undo.kind) | Should -Be @('certificate', 'certificate', 'service')
        $record.steps[1].undo.thumbprint | Should -Be $Bound
        $record.steps[1].undo.certificate | Should -Not -BeNullOrEmpty
    }

    It 'undo after a renewal says honestly that the old certificates cannot come back, and leaves the new one working' {
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $renewed = (Get-CertificateData).boundThumbprint
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 3
        $undo.Result.ok | Should -BeFalse
        $notRestored = @($undo.Result.restored | Where-Object { -not $_.ok })
        $notRestored.Count | Should -Be 2
        $notRestored[0].error | Should -Match '^Not restored: the private key of certificate .* no longer exists'
        # No certificate without its key was left behind: the store holds the new certificate only.
        @(Get-StoreThumbprint) | Should -Be @($renewed)
        $null = Assert-Renewed -Old @($Bound, $OlderExpired)
    }

    It 'a failure on the second deletion puts the first certificate back with its key: the host is as it was' {
        $before = Get-CertHostSection
        Set-FixHostFault -Command 'Remove-Item' -Fault @{ kind = 'error'; after = 1 }
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.ExitCode | Should -Be 1
        $run.Result.outcome | Should -Be 'failed'
        $run.Result.error.message | Should -Match 'Simulated failure in Remove-Item'
        @($run.Result.restored).Count | Should -Be 2
        @($run.Result.restored | Where-Object { -not $_.ok }).Count | Should -Be 0
        $run.Result.undoAvailable | Should -BeFalse
        Get-CertHostSection | Should -BeExactly $before
        (Get-CertificateData).boundCertificate.hasPrivateKey | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") | Should -BeFalse
        @(Get-ChildItem -LiteralPath $testHost.FixRoot -Filter '*.cer').Count | Should -Be 0
    }

    It 'a restart that fails puts both certificates back (the refused restart changed nothing)' {
        $before = Get-CertHostSection
        Set-FixHostFault -Command 'Restart-Service' -Fault @{ kind = 'access-denied' }
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.kind | Should -Be 'access-denied'
        @($run.Result.restored | Where-Object { $_.ok }).Count | Should -Be 2
        @($run.Result.restored).Count | Should -Be 2
        Get-CertHostSection | Should -BeExactly $before
    }

    It 'when Windows does not make a new certificate, the verification fails and everything is put back' {
        $before = Get-CertHostSection
        Set-FixHostFault -Command 'CertificateRegeneration' -Fault @{ kind = 'error' }
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; WaitSeconds = 0 }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match "^Verification failed: the listener is still bound to $Bound"
        $run.Result.details.PSObject.Properties.Name | Should -Not -Contain 'newThumbprint'
        @($run.Result.restored | Where-Object { -not $_.ok }).Count | Should -Be 0
        Get-CertHostSection | Should -BeExactly $before
        # Windows logged that it could not replace the certificate.
        @(Get-SimSection -Key 'events' | Where-Object { $_['Id'] -eq 1058 }).Count | Should -Be 3
    }

    It 'a failure after Windows replaced the key is reported as restore incomplete, and no keyless certificate is left' {
        # The first store read passes; the one that verifies the renewal fails.
        Set-FixHostFault -Command 'X509Store.Open' -Fault @{ kind = 'error'; after = 1 }
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; WaitSeconds = 0 }
        $run.ExitCode | Should -Be 3
        $run.Result.undoAvailable | Should -BeTrue
        @($run.Result.restored | Where-Object { -not $_.ok }).Count | Should -Be 2
        Set-FixHostFault -Command 'X509Store.Open' -Remove
        @(Get-StoreThumbprint).Count | Should -Be 1
        $null = Assert-Renewed -Old @($Bound, $OlderExpired)
    }
}

Describe 'Repair-RdpCertificate on cert-expiring-5-days' {
    BeforeEach { $null = Initialize-FixTestHost -Scenario 'cert-expiring-5-days' }

    It 'renews the certificate inside the warning window with -Scope ExpiringOrExpired (what the agent passes)' {
        $before = Get-FixHostText
        $preview = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; Scope = 'ExpiringOrExpired'; WhatIf = $true }
        @($preview.Planned).Count | Should -Be 2
        $preview.Planned[0].action | Should -Match '^Delete the certificate Remote Desktop uses, which expires on'
        Get-FixHostText | Should -BeExactly $before
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; Scope = 'ExpiringOrExpired' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        $null = Assert-Renewed -Old @($Bound)
    }

    It 'leaves a certificate that has not expired alone with -Scope Expired, and one beyond -WithinDays too' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; Scope = 'Expired' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'already-done'
        $narrow = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; Scope = 'ExpiringOrExpired'; WithinDays = 3 }
        $narrow.Result.outcome | Should -Be 'already-done'
        Get-FixHostText | Should -BeExactly $before
    }
}

Describe 'Repair-RdpCertificate loops over every certificate in scope, and only those' {
    It 'deletes three expired self-signed certificates, keeps a CA-issued one in the same store and everything in My' {
        $expired = @{ NotBefore = 'now-400d'; NotAfter = 'now-35d'; Subject = 'CN=RDPHOST01'; Issuer = 'CN=RDPHOST01'; HasPrivateKey = $false; SerialNumber = '01'; FriendlyName = '' }
        $scenario = New-SimScenarioFile -Extends 'cert-self-signed-expired' -Name 'many' -Patch @{
            certificates = @{
                $RemoteDesktop        = @{
                    '1111111111111111111111111111111111111111' = $expired + @{ Thumbprint = '1111111111111111111111111111111111111111' }
                    '2222222222222222222222222222222222222222' = @{ Thumbprint = '2222222222222222222222222222222222222222'; Subject = 'CN=rdphost01.corp.example.com'; Issuer = 'CN=Corp CA'; NotBefore = 'now-400d'; NotAfter = 'now-30d'; HasPrivateKey = $false; SerialNumber = '02' }
                }
                'LocalMachine\My' = @{ '3333333333333333333333333333333333333333' = $expired + @{ Thumbprint = '3333333333333333333333333333333333333333' } }
            }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.ExitCode | Should -Be 0
        @($run.Result.details.deleted) | Should -Be @($OlderExpired, '1111111111111111111111111111111111111111', $Bound)
        $left = @(Get-StoreThumbprint)
        $left | Should -Contain '2222222222222222222222222222222222222222'
        $left | Should -Not -Contain '1111111111111111111111111111111111111111'
        @((Get-SimSection -Key 'certificates', 'LocalMachine\My').Keys) | Should -Contain '3333333333333333333333333333333333333333'
        $data = (Invoke-FixProbe -Script 'certificate/Get-RdpCertificate.ps1').data
        $data.boundThumbprint | Should -Not -BeIn @($Bound, $OlderExpired)
        $data.boundCertificate.hasPrivateKey | Should -BeTrue
    }

    It 'asks Windows for a certificate when the bound self-signed one is missing from the store' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Name 'missing' -Patch @{ certificates = @{ $RemoteDesktop = @{ $Bound = $null } } }
        $null = Initialize-FixTestHost -Scenario $scenario
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.ExitCode | Should -Be 0
        @($run.Result.changes).Count | Should -Be 1
        ($run.Result.notes -join ' ') | Should -Match 'missing from the Remote Desktop store'
        $null = Assert-Renewed -Old @($Bound)
    }
}

Describe 'Repair-RdpCertificate refuses, changing nothing' {
    It 'does not touch a type 3 (custom, CA-issued) binding (cert-ca-issued)' {
        $testHost = Initialize-FixTestHost -Scenario 'cert-ca-issued'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; Scope = 'ExpiringOrExpired'; WithinDays = 365 }
        $run.ExitCode | Should -Be 1
        $run.Result.error.kind | Should -Be 'unsupported'
        $run.Result.error.message | Should -Match 'a custom certificate \(type 3\).*nothing was changed'
        @($run.Result.changes).Count | Should -Be 0
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") | Should -BeFalse
    }

    It 'does not touch a type 2 (group policy template) binding, even an expired self-signed one' {
        $scenario = New-SimScenarioFile -Extends 'cert-self-signed-expired' -Name 'type2' -Patch @{ cim = @{ $Setting = @{ 'RDP-Tcp' = @{ SSLCertificateSHA1HashType = 2 } } } }
        $null = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; WhatIf = $true }
        $run.Result.outcome | Should -Be 'failed'
        $run.Result.error.message | Should -Match 'group policy certificate template \(type 2\)'
        @($run.Planned).Count | Should -Be 0
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.ExitCode | Should -Be 1
        Get-FixHostText | Should -BeExactly $before
    }

    It 'refuses while SessionEnv is disabled, naming it (cert-sessionenv-disabled)' {
        $null = Initialize-FixTestHost -Scenario 'cert-sessionenv-disabled'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; Scope = 'ExpiringOrExpired' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'SessionEnv is disabled or missing: enable it first\. Nothing was changed\.'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'renews with CertPropSvc stopped and KeyIso disabled: nothing documented needs them' {
        $scenario = New-SimScenarioFile -Extends 'cert-self-signed-expired' -Name 'hardened' -Patch @{
            cim = @{ 'root/cimv2:Win32_Service' = @{ CertPropSvc = @{ State = 'Stopped'; ProcessId = 0; Started = $false }; KeyIso = @{ State = 'Stopped'; StartMode = 'Disabled'; ProcessId = 0; Started = $false } } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
    }

    It 'starts a stopped SessionEnv by restarting it, and Windows binds a new certificate (cert-expired-sessionenv-stopped)' {
        $null = Initialize-FixTestHost -Scenario 'cert-expired-sessionenv-stopped'
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        ($run.Result.notes -join ' ') | Should -Match 'SessionEnv\) is stopped'
        $new = $run.Result.details.newThumbprint
        $new | Should -Not -BeNullOrEmpty
        # Windows keeps the self-signed binding's registry copy in WinStations\SelfSignedCertificate.
        [System.Convert]::ToHexString([byte[]](Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations').SelfSignedCertificate) | Should -Be $new
    }

    It 'does nothing on an RD Connection Broker' {
        $scenario = New-SimScenarioFile -Extends 'cert-self-signed-expired' -Name 'broker' -Patch @{
            cim = @{ 'root/cimv2:Win32_Service' = @{ Tssdis = @{ Name = 'Tssdis'; State = 'Running'; StartMode = 'Auto'; ProcessId = 3000; Started = $true } } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'RD Connection Broker'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'has nothing to do on a healthy host' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; Scope = 'ExpiringOrExpired' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'already-done'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'accepts only the values of its ValidateSet and ranges' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $path = Join-Path $script:RepoRoot "probes/$Fix"
        { & $path -Action 'RenewSelfSigned; Remove-Item x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpCertificate.ps1'
        { & $path -Action 'RenewSelfSigned' -Scope 'All' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpCertificate.ps1'
        { & $path -Action 'RenewSelfSigned' -WithinDays 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpCertificate.ps1'
        { & $path -Action 'RenewSelfSigned' -RecordId '../../x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpCertificate.ps1'
    }
}

Describe 'The certificate undo kind (RdpHealth.FixCertificate.psm1)' {
    BeforeAll {
        Import-Module (Join-Path $script:RepoRoot 'probes/common/RdpHealth.Fix.psm1') -Force
        Import-Module (Join-Path $script:RepoRoot 'probes/common/RdpHealth.FixCertificate.psm1') -Force
    }
    BeforeEach {
        $testHost = Initialize-FixTestHost -Scenario 'cert-self-signed-expired'
        $null = New-Item -ItemType Directory -Path $testHost.FixRoot
    }

    It 'survives the JSON round trip of an undo record and puts a deleted certificate back with its key' {
        $before = Get-CertHostSection
        $stored = ConvertTo-Json -InputObject (New-RdpCertificateUndo -Store 'Remote Desktop' -Thumbprint $Bound) | ConvertFrom-Json
        $stored.kind | Should -Be 'certificate'
        $stored.hasPrivateKey | Should -BeTrue
        Remove-Item -LiteralPath "Cert:\LocalMachine\Remote Desktop\$Bound"
        @(Get-StoreThumbprint) | Should -Not -Contain $Bound
        Restore-RdpUndoEntry -Entry $stored
        Get-CertHostSection | Should -BeExactly $before
        (Get-Item -LiteralPath "Cert:\LocalMachine\Remote Desktop\$Bound").PrivateKey.CspKeyContainerInfo.KeyContainerName | Should -Be 'TSSecKeySet1'
        @(Get-ChildItem -LiteralPath $testHost.FixRoot).Count | Should -Be 0
        # Restoring what is there already changes nothing.
        Restore-RdpUndoEntry -Entry $stored
        Get-CertHostSection | Should -BeExactly $before
    }

    It 'says "Not restored" when the key was replaced, and takes the keyless certificate out again' {
        $stored = ConvertTo-Json -InputObject (New-RdpCertificateUndo -Store 'Remote Desktop' -Thumbprint $Bound) | ConvertFrom-Json
        Remove-Item -LiteralPath "Cert:\LocalMachine\Remote Desktop\$Bound"
        Restart-Service -Name 'SessionEnv'
        $renewed = @(Get-StoreThumbprint)
        $renewed | Should -Not -Contain $Bound
        { Restore-RdpUndoEntry -Entry $stored } | Should -Throw '*Not restored: the private key of certificate*0x80090016*'
        @(Get-StoreThumbprint) | Should -Be $renewed
    }
}
