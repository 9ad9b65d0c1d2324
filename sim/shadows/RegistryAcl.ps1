# Follows: Microsoft Learn System.Security.AccessControl.RegistrySecurity, RegistryAccessRule and RegistryRights (QueryValues 1, CreateSubKey 4, ReadKey 131097, FullControl 983103), and Get-Acl -Path "HKLM:\SOFTWARE\Microsoft\SystemCertificates\Remote Desktop\Certificates" as troubleshoot-rdp-access-denied.md (MicrosoftDocs/SupportArticles-docs) runs it.
# Registry key ACLs: Get-Acl on a registry path (HKLM:\..., Registry::HKEY_LOCAL_MACHINE\...) answers
# from the scenario's `registryAcl` section (Acl.ps1's Get-Acl hands registry paths here):
#   "registryAcl": { "HKLM:\\SOFTWARE\\Microsoft\\SystemCertificates\\Remote Desktop\\Certificates": {
#     "owner": "S-1-5-18", "acl": [ { "IdentityReference": "S-1-5-18", "RegistryRights": "FullControl",
#       "AccessControlType": "Allow", "IsInherited": true, "InheritanceFlags": "ContainerInherit",
#       "PropagationFlags": "None" } ] } }
# A key listed there exists; a key not listed but in `registry` exists with no simulated ACL (Get-Acl
# throws NotSupportedException rather than invent one); any other key does not exist
# (ItemNotFoundException, as the registry provider says). Reading needs READ_CONTROL (ReadPermissions)
# for the identity (Identity.ps1), like Windows. The object is RegistrySecurity-shaped: Path, Owner,
# Access, GetAccessRules(includeExplicit, includeInherited, targetType) of RegistryAccessRule-shaped
# rules (RegistryRights, AccessControlType, IdentityReference, IsInherited, InheritanceFlags,
# PropagationFlags), GetOwner(targetType); by SID only. Fault: 'Get-Acl'.

function Find-SimRegistryAclKey {
    <# The scenario's spelling of a key in `registryAcl`, or $null. #>
    param([Parameter(Mandatory)][string]$Path)
    Find-SimStateKey -Table (Get-SimSection -Key 'registryAcl') -Name (ConvertTo-SimRegistryKey $Path)
}

function ConvertTo-SimRegistryRightsMask {
    <# A scenario RegistryRights value ("ReadKey", "CreateSubKey, ReadKey" or a number) as an unsigned mask. #>
    param([Parameter(Mandatory)]$Value)
    if ($Value -is [string] -and $Value -notmatch '^-?\d+$') { return [int64][int][System.Security.AccessControl.RegistryRights]$Value }
    $mask = [int64]$Value
    if ($mask -lt 0) { $mask += [int64]4294967296 }
    $mask
}

function New-SimRegistryAccessRule {
    param([Parameter(Mandatory)]$Spec)
    $mask = ConvertTo-SimRegistryRightsMask $Spec['RegistryRights']
    $signed = $mask
    if ($signed -ge 2147483648) { $signed -= 4294967296 }
    $inheritance = if ($Spec.Contains('InheritanceFlags')) { [string]$Spec['InheritanceFlags'] } else { 'None' }
    $propagation = if ($Spec.Contains('PropagationFlags')) { [string]$Spec['PropagationFlags'] } else { 'None' }
    $rule = [PSCustomObject][ordered]@{
        # Enum.ToObject: a generic right (GENERIC_WRITE) has no RegistryRights name but is a valid mask.
        RegistryRights    = [System.Enum]::ToObject([System.Security.AccessControl.RegistryRights], [int]$signed)
        AccessControlType = [System.Security.AccessControl.AccessControlType][string]$Spec['AccessControlType']
        IdentityReference = New-SimSecurityIdentifier ([string]$Spec['IdentityReference'])
        IsInherited       = [bool]$Spec['IsInherited']
        InheritanceFlags  = [System.Security.AccessControl.InheritanceFlags]$inheritance
        PropagationFlags  = [System.Security.AccessControl.PropagationFlags]$propagation
    }
    $rule.PSObject.TypeNames.Insert(0, 'System.Security.AccessControl.RegistryAccessRule')
    $rule
}

function New-SimRegistrySecurity {
    <# The RegistrySecurity of a key in `registryAcl`. #>
    param([Parameter(Mandatory)][string]$Key, [Parameter(Mandatory)]$Spec)
    $owner = if ($Spec.Contains('owner')) { [string]$Spec['owner'] } else { 'S-1-5-18' }
    $security = [PSCustomObject][ordered]@{
        Path   = 'Microsoft.PowerShell.Core\Registry::' + ($Key -replace '^HKLM:', 'HKEY_LOCAL_MACHINE')
        Owner  = $owner
        Access = @(foreach ($ruleSpec in @($Spec['acl'])) { if ($null -ne $ruleSpec) { New-SimRegistryAccessRule $ruleSpec } })
    }
    $security.PSObject.TypeNames.Insert(0, 'System.Security.AccessControl.RegistrySecurity')
    $security | Add-Member -MemberType ScriptMethod -Name GetAccessRules -Value {
        param([bool]$includeExplicit, [bool]$includeInherited, [type]$targetType)
        Assert-SimSidTarget $targetType
        foreach ($rule in $this.Access) {
            if (($rule.IsInherited -and $includeInherited) -or (-not $rule.IsInherited -and $includeExplicit)) { $rule }
        }
    }
    $security | Add-Member -MemberType ScriptMethod -Name GetOwner -Value {
        param([type]$targetType)
        Assert-SimSidTarget $targetType
        New-SimSecurityIdentifier $this.Owner
    }
    $security
}

function Test-SimRegistryAccess {
    <#
    Whether a token (SIDs enabled; default: the identity the checks run as) gets Desired on a key in
    `registryAcl`; rules that only propagate to subkeys (InheritOnly) do not apply to the key itself.
    #>
    param([Parameter(Mandatory)]$Spec, [Parameter(Mandatory)][int64]$Desired, [string[]]$TokenSid)
    $rules = @(foreach ($rule in @($Spec['acl'])) {
            if ($null -eq $rule) { continue }
            if ($rule.Contains('PropagationFlags') -and ([string]$rule['PropagationFlags']) -match 'InheritOnly') { continue }
            [ordered]@{ IdentityReference = [string]$rule['IdentityReference']; FileSystemRights = (ConvertTo-SimRegistryRightsMask $rule['RegistryRights']); AccessControlType = [string]$rule['AccessControlType'] }
        })
    $owner = if ($Spec.Contains('owner')) { [string]$Spec['owner'] } else { 'S-1-5-18' }
    if (-not $TokenSid) { return (Test-SimAccess -Owner $owner -Acl $rules -Desired $Desired) }
    # A given token (a service's): Deny entries first refuse, Allow entries grant, in order.
    $granted = [int64]0
    foreach ($rule in $rules) {
        $wanted = $Desired -band (-bnot $granted)
        if ($wanted -eq 0) { break }
        if ($TokenSid -notcontains $rule['IdentityReference']) { continue }
        $mask = ConvertTo-SimAccessMask $rule['FileSystemRights']
        if ($rule['AccessControlType'] -eq 'Deny') { if ($mask -band $wanted) { return $false } }
        else { $granted = $granted -bor ($mask -band $wanted) }
    }
    ($Desired -band (-bnot $granted)) -eq 0
}

function Get-SimRegistryAcl {
    <# Get-Acl's answer for registry paths: a RegistrySecurity per path, or the provider's errors. #>
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet, [Parameter(Mandatory)][string[]]$Path)
    Invoke-SimFault -Command 'Get-Acl'
    foreach ($one in $Path) {
        $key = Find-SimRegistryAclKey -Path $one
        if ($null -eq $key) {
            if ($null -ne (Find-SimRegistryKey -Path $one)) { throw [System.NotSupportedException]::new("The simulated host has no ACL for $one`: add it to the scenario's registryAcl section.") }
            $Cmdlet.WriteError((New-SimItemNotFound $one))
            continue
        }
        $spec = (Get-SimSection -Key 'registryAcl')[$key]
        if (-not (Test-SimRegistryAccess -Spec $spec -Desired $script:SimReadControl)) {
            $exception = [System.Security.SecurityException]::new("Requested registry access is not allowed. (simulated: $key)")
            $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'System.Security.SecurityException,Microsoft.PowerShell.Commands.GetAclCommand', 'PermissionDenied', $one))
            continue
        }
        New-SimRegistrySecurity -Key $key -Spec $spec
    }
}
