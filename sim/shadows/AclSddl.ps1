# Follows: Microsoft Learn 'Security Descriptor String Format', 'ACE Strings' and 'SID Strings' (the aliases and masks Windows writes for files).
# SDDL for the simulated file ACLs (Acl.ps1): converting the scenario's rules to and from the
# security descriptor strings Get-Acl/Set-Acl objects carry, as Windows writes them for files.

# SDDL as Windows writes it for files: well-known SIDs and the common file rights by their aliases.
$script:SimSddlSidAliases = [ordered]@{
    SY = 'S-1-5-18'; LS = 'S-1-5-19'; NS = 'S-1-5-20'; BA = 'S-1-5-32-544'; BU = 'S-1-5-32-545'; BG = 'S-1-5-32-546'
    WD = 'S-1-1-0'; AU = 'S-1-5-11'; CO = 'S-1-3-0'; CG = 'S-1-3-1'; OW = 'S-1-3-4'; IU = 'S-1-5-4'; SU = 'S-1-5-6'
    NU = 'S-1-5-2'; AN = 'S-1-5-7'; PS = 'S-1-5-10'; RC = 'S-1-5-12'; WR = 'S-1-5-33'; AC = 'S-1-15-2-1'
}
$script:SimSddlRightAliases = [ordered]@{
    FA = [int64]0x1F01FF; FR = [int64]0x120089; FW = [int64]0x120116; FX = [int64]0x1200A0
    GA = [int64]0x10000000; GX = [int64]0x20000000; GW = [int64]0x40000000; GR = [int64]0x80000000
}

function ConvertTo-SimRightsMask {
    <# FileSystemRights as an unsigned 32-bit number. #>
    param([Parameter(Mandatory)]$Rights)
    $mask = [int64][int]$Rights
    if ($mask -lt 0) { $mask += 4294967296 }
    $mask
}

function ConvertTo-SimRightsSpec {
    <# How a scenario writes rights: the enum name when it has one ("Read, Synchronize"), else the number. #>
    param([Parameter(Mandatory)][int64]$Mask)
    $name = (ConvertTo-SimFileSystemRights $Mask).ToString()
    if ($name -match '^-?\d+$') { return $Mask }
    $name
}

function ConvertTo-SimSddlSid {
    param([Parameter(Mandatory)][string]$Sid)
    foreach ($alias in $script:SimSddlSidAliases.Keys) { if ($script:SimSddlSidAliases[$alias] -eq $Sid) { return $alias } }
    $Sid
}

function ConvertFrom-SimSddlSid {
    param([Parameter(Mandatory)][string]$Text)
    if ($script:SimSddlSidAliases.Contains($Text.ToUpperInvariant())) { return $script:SimSddlSidAliases[$Text.ToUpperInvariant()] }
    if ($Text -match '^S-1-\d+(-\d+)*$') { return $Text }
    throw [System.ArgumentException]::new("The SDDL form of the security descriptor object is invalid (simulated: unknown trustee '$Text').")
}

function ConvertTo-SimSddl {
    <# The SDDL of a simulated FileSecurity: O:, G:, D: as the sections ask (no SACL is simulated). #>
    param([Parameter(Mandatory)]$Security, [System.Security.AccessControl.AccessControlSections]$Sections = 'All')
    $text = ''
    if ($Sections.HasFlag([System.Security.AccessControl.AccessControlSections]::Owner) -and $Security.SimOwner) { $text += 'O:' + (ConvertTo-SimSddlSid $Security.SimOwner) }
    if ($Sections.HasFlag([System.Security.AccessControl.AccessControlSections]::Group) -and $Security.SimGroup) { $text += 'G:' + (ConvertTo-SimSddlSid $Security.SimGroup) }
    if ($Sections.HasFlag([System.Security.AccessControl.AccessControlSections]::Access) -and $Security.SimHasDacl) {
        $flags = ''
        if ($Security.SimProtected) { $flags += 'P' }
        if (@($Security.Access | Where-Object { $_.IsInherited }).Count -gt 0) { $flags += 'AI' }
        $text += "D:$flags"
        foreach ($rule in $Security.Access) {
            $type = if ([string]$rule.AccessControlType -eq 'Deny') { 'D' } else { 'A' }
            $aceFlags = if ($rule.IsInherited) { 'ID' } else { '' }
            $mask = ConvertTo-SimRightsMask $rule.FileSystemRights
            $rights = '0x' + $mask.ToString('x')
            foreach ($alias in $script:SimSddlRightAliases.Keys) { if ($script:SimSddlRightAliases[$alias] -eq $mask) { $rights = $alias } }
            $text += "($type;$aceFlags;$rights;;;$(ConvertTo-SimSddlSid ([string]$rule.IdentityReference.Value)))"
        }
    }
    $text
}

function ConvertFrom-SimSddl {
    <# An SDDL string as @{ Owner; Group; HasDacl; Protected; Rules (rule specs) }; throws like Windows on what it cannot read. #>
    param([Parameter(Mandatory)][string]$Sddl)
    $invalid = 'The SDDL form of the security descriptor object is invalid.'
    $parsed = @{ Owner = $null; Group = $null; HasDacl = $false; Protected = $false; Rules = @() }
    $rest = $Sddl.Trim()
    while ($rest.Length -gt 0) {
        if ($rest -match '^O:(S-1-[0-9-]+|[A-Z]{2})') { $parsed.Owner = ConvertFrom-SimSddlSid $Matches[1]; $rest = $rest.Substring($Matches[0].Length); continue }
        if ($rest -match '^G:(S-1-[0-9-]+|[A-Z]{2})') { $parsed.Group = ConvertFrom-SimSddlSid $Matches[1]; $rest = $rest.Substring($Matches[0].Length); continue }
        if ($rest -match '^D:((?:P|AI|AR|NO_ACCESS_CONTROL)*)') {
            $parsed.HasDacl = $true
            $parsed.Protected = $Matches[1].Contains('P')
            $rest = $rest.Substring($Matches[0].Length)
            while ($rest -match '^\(([^)]*)\)') {
                $fields = $Matches[1].Split(';')
                $rest = $rest.Substring($Matches[0].Length)
                if ($fields.Count -ne 6 -or $fields[0] -notin @('A', 'D')) { throw [System.ArgumentException]::new("$invalid (simulated: ACE '($($Matches[1]))')") }
                $rights = $fields[2].ToUpperInvariant()
                if ($script:SimSddlRightAliases.Contains($rights)) { $mask = $script:SimSddlRightAliases[$rights] }
                elseif ($rights -match '^0X([0-9A-F]+)$') { $mask = [Convert]::ToInt64($Matches[1], 16) }
                else { throw [System.ArgumentException]::new("$invalid (simulated: rights '$($fields[2])')") }
                $parsed.Rules += [ordered]@{
                    IdentityReference = ConvertFrom-SimSddlSid $fields[5]
                    FileSystemRights  = ConvertTo-SimRightsSpec $mask
                    AccessControlType = $(if ($fields[0] -eq 'D') { 'Deny' } else { 'Allow' })
                    IsInherited       = $fields[1].ToUpperInvariant().Contains('ID')
                }
            }
            continue
        }
        if ($rest -match '^S:') { throw [System.NotSupportedException]::new('The simulated host keeps no SACL (S:).') }
        throw [System.ArgumentException]::new("$invalid (simulated: at '$rest')")
    }
    $parsed
}

function ConvertTo-SimRuleSpec {
    <# One access rule object back into the scenario's spelling, keys in the scenario's order. #>
    param([Parameter(Mandatory)]$Rule)
    [ordered]@{
        IdentityReference = [string]$Rule.IdentityReference.Value
        FileSystemRights  = ConvertTo-SimRightsSpec (ConvertTo-SimRightsMask $Rule.FileSystemRights)
        AccessControlType = [string]$Rule.AccessControlType
        IsInherited       = [bool]$Rule.IsInherited
    }
}
