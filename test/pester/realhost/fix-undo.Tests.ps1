# Real host only (tag RealHost), on a DISPOSABLE runner: break the host the way users find it broken,
# repair it with `rdp-health fix` (real elevation: the job is elevated and hosted runners have UAC
# off), undo, and see it broken again. Whatever happens, AfterAll puts the runner back.
BeforeAll {
    . (Join-Path $PSScriptRoot 'RealHostCli.ps1')
    # The Remote Desktop rule group by its resource id, so a localized Windows matches too.
    $rdpGroup = '@FirewallAPI.dll,-28752'
    function Get-Status([string]$Probe) { (Get-RdpHealthFinding -Probe $Probe | Select-Object -First 1).status }
    function Invoke-Fix([string]$FixId) {
        $run = Invoke-RdpHealthCli fix $FixId --yes --json
        $result = $run.Output | ConvertFrom-Json
        [pscustomobject]@{ ExitCode = $run.ExitCode; RecordId = $result.outcome.recordId; Status = $result.outcome.finding.status }
    }
}

Describe 'Fix and undo: the Remote Desktop firewall rules' -Tag 'RealHost' {
    BeforeAll {
        $profiles = Get-NetFirewallProfile | Select-Object Name, Enabled
        $wasEnabled = @(Get-NetFirewallRule -Group $rdpGroup | Where-Object Enabled -eq 'True' | ForEach-Object Name)
        Set-NetFirewallProfile -All -Enabled True
        Disable-NetFirewallRule -Group $rdpGroup
    }
    AfterAll {
        Get-NetFirewallRule -Group $rdpGroup | Disable-NetFirewallRule
        if ($wasEnabled.Count -gt 0) { Enable-NetFirewallRule -Name $wasEnabled }
        foreach ($p in $profiles) { Set-NetFirewallProfile -Name $p.Name -Enabled $p.Enabled }
    }

    It 'fails with the rules off' { Get-Status 'firewall' | Should -Be 'fail' }

    It 'is repaired by rdp-health fix firewall.enable-rules' {
        $script:firewallFix = Invoke-Fix 'firewall.enable-rules'
        $firewallFix.ExitCode | Should -Be 0
        $firewallFix.Status | Should -Be 'ok'
        Get-Status 'firewall' | Should -Be 'ok'
    }

    It 'is broken again after rdp-health undo' {
        (Invoke-RdpHealthCli undo $firewallFix.RecordId --yes --json).ExitCode | Should -Be 0
        Get-Status 'firewall' | Should -Be 'fail'
    }
}

Describe 'Fix and undo: NETWORK SERVICE''s read of the RDP key file' -Tag 'RealHost' {
    BeforeAll {
        $machineKeys = Join-Path ([Environment]::GetFolderPath('CommonApplicationData')) 'Microsoft\Crypto\RSA\MachineKeys'
        $keyFile = Get-ChildItem -LiteralPath $machineKeys -Filter 'f686aace6942fb7f7ceb231212eef4a4_*' | Select-Object -First 1
        if ($null -eq $keyFile) { throw "No RDP key file in ${machineKeys}: is Remote Desktop on (the workflow's first step)?" }
        $originalSddl = (Get-Acl -LiteralPath $keyFile.FullName).Sddl
        $acl = Get-Acl -LiteralPath $keyFile.FullName
        $acl.PurgeAccessRules([Security.Principal.SecurityIdentifier]'S-1-5-20')
        Set-Acl -LiteralPath $keyFile.FullName -AclObject $acl
    }
    AfterAll {
        $restore = Get-Acl -LiteralPath $keyFile.FullName
        $restore.SetSecurityDescriptorSddlForm($originalSddl)
        Set-Acl -LiteralPath $keyFile.FullName -AclObject $restore
    }

    It 'fails with NETWORK SERVICE unable to read the key' { Get-Status 'key-access' | Should -Be 'fail' }

    It 'is repaired by rdp-health fix key-access.grant-network-service' {
        $script:keyFix = Invoke-Fix 'key-access.grant-network-service'
        $keyFix.ExitCode | Should -Be 0
        $keyFix.Status | Should -Be 'ok'
    }

    It 'is broken again after rdp-health undo' {
        (Invoke-RdpHealthCli undo $keyFix.RecordId --yes --json).ExitCode | Should -Be 0
        Get-Status 'key-access' | Should -Be 'fail'
    }
}
