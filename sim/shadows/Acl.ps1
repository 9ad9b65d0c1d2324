# Follows: Microsoft Learn Get-Acl/Set-Acl and System.Security.AccessControl.FileSecurity (GetAccessRules, GetOwner), and the icacls command reference with its real English output.
# File ACL shadows: Get-Acl, Set-Acl and `icacls` for the Windows paths listed in the scenario's
# `files` section:
#   "files": { "C:\\ProgramData\\...\\MachineKeys\\<name>": { "owner": "S-1-5-18", "protected": false,
#     "acl": [ { "IdentityReference": "S-1-5-20", "FileSystemRights": "Read, Synchronize",
#                "AccessControlType": "Allow", "IsInherited": false } ], "aclDenied": false,
#     "publicKey": "<id>" } }
# A Windows path (C:\...) not listed there does not exist (ItemNotFoundException). Reading an ACL needs
# READ_CONTROL, changing it WRITE_DAC, checked against the file's owner and ACL for the identity the
# checks run as (Identity.ps1: an unelevated admin or a standard user may not read the RDP key file's
# ACL, as on Windows); refused, or with `aclDenied`, it throws UnauthorizedAccessException. Other paths
# go to the real cmdlets. The
# object Get-Acl returns has FileSecurity's GetAccessRules(includeExplicit, includeInherited, targetType),
# GetOwner(targetType), GetSecurityDescriptorSddlForm(sections) and SetSecurityDescriptorSddlForm(sddl
# [, sections]); the simulated host answers by SID only (RDP-FACTS.md: never read ACLs by account name).
# Set-Acl writes the sections the object carries back into the working copy, like Windows (which
# leaves out a section the object has none of): a Get-Acl object writes owner and DACL. `New-Object
# System.Security.AccessControl.FileSecurity` cannot be constructed off Windows (PlatformNotSupported),
# so while a simulated host is active New-Object returns an empty look-alike (no owner, group or DACL
# until SetSecurityDescriptorSddlForm sets them); Set-Acl then writes only the DACL it was given.
# `icacls <file> /grant[:r] *<SID>:(<R|RX|M|W|F|D>) [/c] [/q] [/l]` adds (or with :r replaces) the
# explicit Allow rule of that SID on that one file; any other form (/t, /save, /restore, names instead
# of *SIDs, wildcards) throws: the simulated host does not pretend to implement it.
# (`publicKey` is used by the certificate shadows: which key a key file holds.)
# Registry paths go to RegistryAcl.ps1. Faults: 'Get-Acl', 'Set-Acl', 'icacls'.

function Test-SimFilePath {
    param([string]$Path)
    $Path -match '^(?:Microsoft\.PowerShell\.Core\\FileSystem::)?[A-Za-z]:\\'
}

function Find-SimFile {
    <# The scenario's spelling of a file path, or $null when the file does not exist. #>
    param([Parameter(Mandatory)][string]$Path)
    $wanted = $Path -replace '^Microsoft\.PowerShell\.Core\\FileSystem::', '' -replace '/', '\'
    Find-SimStateKey -Table (Get-SimSection -Key 'files') -Name $wanted
}

function New-SimSecurityIdentifier {
    <# A real SecurityIdentifier where the platform has one (Windows); elsewhere an object of the same shape. #>
    param([Parameter(Mandatory)][string]$Sid)
    try { return [System.Security.Principal.SecurityIdentifier]::new($Sid) } catch { Write-Verbose 'SecurityIdentifier is Windows-only: using a look-alike.' }
    $identity = [PSCustomObject]@{ Value = $Sid }
    $identity.PSObject.TypeNames.Insert(0, 'System.Security.Principal.SecurityIdentifier')
    $identity | Add-Member -MemberType ScriptMethod -Name ToString -Value { $this.Value } -Force
    $identity
}

function ConvertTo-SimFileSystemRights {
    <# "Read, Synchronize", "FullControl" or a number (a generic right such as 0x80000000 included). #>
    param([Parameter(Mandatory)]$Value)
    if ($Value -is [string] -and $Value -notmatch '^-?\d+$') { return [System.Security.AccessControl.FileSystemRights]$Value }
    $number = [int64]$Value
    if ($number -ge 2147483648) { $number -= 4294967296 }
    # Enum.ToObject: a PowerShell cast refuses bits the enum does not name (generic rights).
    [System.Enum]::ToObject([System.Security.AccessControl.FileSystemRights], [int]$number)
}

function New-SimAccessRule {
    param([Parameter(Mandatory)]$Spec)
    $rule = [PSCustomObject][ordered]@{
        FileSystemRights  = ConvertTo-SimFileSystemRights $Spec['FileSystemRights']
        AccessControlType = [System.Security.AccessControl.AccessControlType][string]$Spec['AccessControlType']
        IdentityReference = New-SimSecurityIdentifier ([string]$Spec['IdentityReference'])
        IsInherited       = [bool]$Spec['IsInherited']
        InheritanceFlags  = [System.Security.AccessControl.InheritanceFlags]::None
        PropagationFlags  = [System.Security.AccessControl.PropagationFlags]::None
    }
    $rule.PSObject.TypeNames.Insert(0, 'System.Security.AccessControl.FileSystemAccessRule')
    $rule
}

function Assert-SimSidTarget {
    param($TargetType)
    if ($TargetType -ne [System.Security.Principal.SecurityIdentifier]) {
        throw [System.NotSupportedException]::new("The simulated host answers ACL queries by SID only (asked for $TargetType): never read ACLs by account name.")
    }
}

function New-SimFileSecurity {
    <# The FileSecurity of a simulated file (Key and Spec), or with neither an empty one, as `new FileSecurity()` is. #>
    param([string]$Key, $Spec)
    $rules = @()
    $owner = $null
    $group = $null
    $path = $null
    if ($null -ne $Spec) {
        $rules = @(foreach ($ruleSpec in @($Spec['acl'])) { if ($null -ne $ruleSpec) { New-SimAccessRule $ruleSpec } })
        $owner = if ($Spec.Contains('owner')) { [string]$Spec['owner'] } else { 'S-1-5-32-544' }
        $group = 'S-1-5-18'
        $path = "Microsoft.PowerShell.Core\FileSystem::$Key"
    }
    $acl = [PSCustomObject][ordered]@{
        Path   = $path
        Owner  = $owner
        Group  = $group
        Access = $rules
    }
    $acl.PSObject.TypeNames.Insert(0, 'System.Security.AccessControl.FileSecurity')
    $acl | Add-Member -MemberType NoteProperty -Name SimOwner -Value $owner
    $acl | Add-Member -MemberType NoteProperty -Name SimGroup -Value $group
    $acl | Add-Member -MemberType NoteProperty -Name SimHasDacl -Value ($null -ne $Spec)
    $acl | Add-Member -MemberType NoteProperty -Name SimProtected -Value ($null -ne $Spec -and $Spec.Contains('protected') -and [bool]$Spec['protected'])
    $acl | Add-Member -MemberType ScriptProperty -Name AreAccessRulesProtected -Value { [bool]$this.SimProtected }
    $acl | Add-Member -MemberType ScriptMethod -Name GetAccessRules -Value {
        param([bool]$includeExplicit, [bool]$includeInherited, [type]$targetType)
        Assert-SimSidTarget $targetType
        foreach ($rule in $this.Access) {
            if (($rule.IsInherited -and $includeInherited) -or (-not $rule.IsInherited -and $includeExplicit)) { $rule }
        }
    }
    $acl | Add-Member -MemberType ScriptMethod -Name GetOwner -Value {
        param([type]$targetType)
        Assert-SimSidTarget $targetType
        if ($this.SimOwner) { New-SimSecurityIdentifier $this.SimOwner }
    }
    $acl | Add-Member -MemberType ScriptMethod -Name GetSecurityDescriptorSddlForm -Value {
        param([System.Security.AccessControl.AccessControlSections]$includeSections)
        ConvertTo-SimSddl -Security $this -Sections $includeSections
    }
    $acl | Add-Member -MemberType ScriptMethod -Name SetSecurityDescriptorSddlForm -Value {
        # One argument: every section, as FileSecurity.SetSecurityDescriptorSddlForm(string) does.
        param([string]$sddlForm, $includeSections = [System.Security.AccessControl.AccessControlSections]::All)
        $sections = [System.Security.AccessControl.AccessControlSections]$includeSections
        $parsed = ConvertFrom-SimSddl -Sddl $sddlForm
        if ($sections.HasFlag([System.Security.AccessControl.AccessControlSections]::Owner) -and $null -ne $parsed.Owner) { $this.SimOwner = $parsed.Owner; $this.Owner = $parsed.Owner }
        if ($sections.HasFlag([System.Security.AccessControl.AccessControlSections]::Group) -and $null -ne $parsed.Group) { $this.SimGroup = $parsed.Group; $this.Group = $parsed.Group }
        if ($sections.HasFlag([System.Security.AccessControl.AccessControlSections]::Access)) {
            if (-not $parsed.HasDacl) { throw [System.NotSupportedException]::new('The simulated host does not set a null DACL: the SDDL has no D: part.') }
            $this.Access = @(foreach ($ruleSpec in $parsed.Rules) { New-SimAccessRule $ruleSpec })
            $this.SimProtected = $parsed.Protected
            $this.SimHasDacl = $true
        }
    }
    $acl
}

function Test-SimFileAccess {
    <# Whether the identity gets Desired on a simulated file (its owner and ACL; `aclDenied` refuses everyone). #>
    param([Parameter(Mandatory)]$Spec, [Parameter(Mandatory)][int64]$Desired)
    if ($Spec.Contains('aclDenied') -and $Spec['aclDenied']) { return $false }
    $owner = if ($Spec.Contains('owner')) { [string]$Spec['owner'] } else { 'S-1-5-32-544' }
    Test-SimAccess -Owner $owner -Acl @($Spec['acl']) -Desired $Desired
}

function Get-SimFileEntry {
    <# The working copy, key and spec of a simulated file a command reads or changes; $null (with the error written) when it cannot be. #>
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet, [Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)][string]$CommandName, [int64]$Desired = $script:SimReadControl)
    $key = Find-SimFile -Path $Path
    if ($null -eq $key) {
        $Cmdlet.WriteError((New-SimItemNotFound $Path))
        return $null
    }
    $state = Get-SimState
    $spec = $state['files'][$key]
    if (-not (Test-SimFileAccess -Spec $spec -Desired $Desired)) {
        $exception = [System.UnauthorizedAccessException]::new("Attempted to perform an unauthorized operation. (simulated: $key)")
        $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, "System.UnauthorizedAccessException,$CommandName", 'PermissionDenied', $Path))
        return $null
    }
    @{ State = $state; Key = $key; Spec = $spec }
}

function Get-Acl {
    [CmdletBinding(DefaultParameterSetName = 'ByPath')]
    param(
        [Parameter(ParameterSetName = 'ByPath', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'ByInputObject', Mandatory, ValueFromPipelineByPropertyName)][psobject]$InputObject,
        [Parameter(ParameterSetName = 'ByLiteralPath', ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [switch]$Audit,
        [switch]$AllCentralAccessPolicies,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process {
        $paths = @(if ($PSCmdlet.ParameterSetName -eq 'ByPath') { $Path } elseif ($PSCmdlet.ParameterSetName -eq 'ByLiteralPath') { $LiteralPath })
        # Registry keys: RegistryAcl.ps1.
        if ($paths.Count -gt 0 -and (Test-SimHostActive) -and (Test-SimRegistryPath $paths[0])) { Get-SimRegistryAcl -Cmdlet $PSCmdlet -Path $paths; return }
        if ($paths.Count -eq 0 -or -not (Test-SimFilePath $paths[0])) {
            Microsoft.PowerShell.Security\Get-Acl @PSBoundParameters
            return
        }
        Invoke-SimFault -Command 'Get-Acl'
        foreach ($one in $paths) {
            $target = Get-SimFileEntry -Cmdlet $PSCmdlet -Path $one -CommandName 'Microsoft.PowerShell.Commands.GetAclCommand'
            if ($null -eq $target) { continue }
            New-SimFileSecurity -Key $target.Key -Spec $target.Spec
        }
    }
}

function Set-Acl {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'ByPath')]
    param(
        [Parameter(ParameterSetName = 'ByPath', Mandatory, Position = 0, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'ByInputObject', Mandatory, Position = 0, ValueFromPipelineByPropertyName)][psobject]$InputObject,
        [Parameter(ParameterSetName = 'ByLiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Mandatory, Position = 1, ValueFromPipeline)][object]$AclObject,
        [Parameter(ParameterSetName = 'ByPath')][Parameter(ParameterSetName = 'ByLiteralPath')][string]$CentralAccessPolicy,
        [Parameter(ParameterSetName = 'ByPath')][Parameter(ParameterSetName = 'ByLiteralPath')][switch]$ClearCentralAccessPolicy,
        [switch]$Passthru,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process {
        $paths = @(if ($PSCmdlet.ParameterSetName -eq 'ByPath') { $Path } elseif ($PSCmdlet.ParameterSetName -eq 'ByLiteralPath') { $LiteralPath })
        if ($paths.Count -eq 0 -or -not (Test-SimFilePath $paths[0])) {
            Microsoft.PowerShell.Security\Set-Acl @PSBoundParameters
            return
        }
        Invoke-SimFault -Command 'Set-Acl'
        if ($null -eq $AclObject.PSObject.Properties['SimOwner']) {
            throw [System.ArgumentException]::new('The simulated Set-Acl takes the object the simulated Get-Acl or New-Object FileSecurity returned.')
        }
        foreach ($one in $paths) {
            $target = Get-SimFileEntry -Cmdlet $PSCmdlet -Path $one -CommandName 'Microsoft.PowerShell.Commands.SetAclCommand' -Desired $script:SimWriteDac
            if ($null -eq $target) { continue }
            if (-not $PSCmdlet.ShouldProcess($one, 'Set-Acl')) { continue }
            # Only the sections the object has: a fresh FileSecurity with a DACL leaves the owner alone.
            if ($AclObject.SimOwner) { $target.Spec['owner'] = [string]$AclObject.SimOwner }
            if ($AclObject.SimHasDacl) {
                if ($AclObject.SimProtected) { $target.Spec['protected'] = $true } else { $target.Spec.Remove('protected') }
                $target.Spec['acl'] = @(foreach ($rule in @($AclObject.Access)) { if ($null -ne $rule) { ConvertTo-SimRuleSpec $rule } })
            }
            Save-SimState -State $target.State
            if ($Passthru) { New-SimFileSecurity -Key $target.Key -Spec $target.Spec }
        }
    }
}

# icacls simple rights as ACE masks (what icacls writes for (R), (RX), (M), (W), (F), (D)).
$script:SimIcaclsRights = @{ R = [int64]0x120089; RX = [int64]0x1200A9; M = [int64]0x1301BF; W = [int64]0x100116; F = [int64]0x1F01FF; D = [int64]0x110000 }

function icacls {
    <#
    Shadow of icacls.exe for simulated files: `icacls <file> /grant[:r] *<SID>:(<right>) [...] [/c] [/q] [/l]`.
    Like icacls, /grant adds the rights to the SID's explicit Allow rule (or adds one after the explicit
    rules); /grant:r replaces that rule's rights. Prints English status lines, sets $LASTEXITCODE
    (0, 2 file not found, 5 access denied). Any other switch or form throws NotSupportedException.
    #>
    if (-not (Test-SimHostActive) -or $args.Count -eq 0 -or -not (Test-SimFilePath ([string]$args[0]))) {
        return & (Get-Command -Name 'icacls' -CommandType Application | Select-Object -First 1) @args
    }
    Invoke-SimFault -Command 'icacls'
    $file = [string]$args[0]
    if ($file.IndexOfAny([char[]]'*?') -ge 0) { throw [System.NotSupportedException]::new("The simulated icacls takes one file, not a wildcard: $file") }
    $grants = @()
    $replace = $false
    $mode = $null
    for ($i = 1; $i -lt $args.Count; $i++) {
        $arg = [string]$args[$i]
        if ($arg -in @('/c', '/q', '/l')) { $mode = $null; continue }
        if ($arg -ieq '/grant' -or $arg -ieq '/grant:r') { $mode = 'grant'; $replace = ($arg -ieq '/grant:r'); continue }
        if ($mode -eq 'grant' -and -not $arg.StartsWith('/')) {
            if ($arg -notmatch '^\*(S-1-\d+(?:-\d+)*):\(?(R|RX|M|W|F|D)\)?$') {
                throw [System.NotSupportedException]::new("The simulated icacls grants one simple right to a *SID (names are localized): '$arg'")
            }
            $grants += @{ Sid = $Matches[1]; Mask = $script:SimIcaclsRights[$Matches[2].ToUpperInvariant()] }
            continue
        }
        throw [System.NotSupportedException]::new("The simulated icacls implements /grant on one file only (asked: '$arg').")
    }
    if ($grants.Count -eq 0) { throw [System.NotSupportedException]::new('The simulated icacls implements /grant only: no grant was given.') }
    $key = Find-SimFile -Path $file
    $spec = $null
    if ($null -ne $key) { $state = Get-SimState; $spec = $state['files'][$key] }
    if ($null -eq $spec) {
        "${file}: The system cannot find the file specified."
        'Successfully processed 0 files; Failed processing 1 files'
        $global:LASTEXITCODE = 2
        return
    }
    if (-not (Test-SimFileAccess -Spec $spec -Desired ($script:SimReadControl -bor $script:SimWriteDac))) {
        "${file}: Access is denied."
        'Successfully processed 0 files; Failed processing 1 files'
        $global:LASTEXITCODE = 5
        return
    }
    $rules = [System.Collections.ArrayList]@(@($spec['acl']) | Where-Object { $null -ne $_ })
    foreach ($grant in $grants) {
        $existing = $null
        foreach ($rule in $rules) {
            if ([string]$rule['IdentityReference'] -eq $grant.Sid -and [string]$rule['AccessControlType'] -eq 'Allow' -and -not [bool]$rule['IsInherited']) { $existing = $rule; break }
        }
        if ($null -ne $existing) {
            $mask = $grant.Mask
            if (-not $replace) { $mask = $mask -bor (ConvertTo-SimRightsMask (ConvertTo-SimFileSystemRights $existing['FileSystemRights'])) }
            $existing['FileSystemRights'] = ConvertTo-SimRightsSpec $mask
            continue
        }
        # Canonical order: explicit rules first (deny before allow), then inherited ones.
        $at = 0
        for ($j = 0; $j -lt $rules.Count; $j++) { if (-not [bool]$rules[$j]['IsInherited']) { $at = $j + 1 } }
        $rules.Insert($at, [ordered]@{ IdentityReference = $grant.Sid; FileSystemRights = (ConvertTo-SimRightsSpec $grant.Mask); AccessControlType = 'Allow'; IsInherited = $false })
    }
    $spec['acl'] = @($rules)
    Save-SimState -State $state
    "processed file: $file"
    'Successfully processed 1 files; Failed processing 0 files'
    $global:LASTEXITCODE = 0
}

function New-Object {
    <#
    Shadow of New-Object: while a simulated host is active, `New-Object System.Security.AccessControl.FileSecurity`
    (no arguments) returns the empty simulated FileSecurity, because the real one cannot be constructed off
    Windows; `New-Object ...X509Store <name>, <location>` returns the simulated store (X509Store.ps1), and
    `New-Object -ComObject Schedule.Service` the simulated Task Scheduler. Everything else goes to the real cmdlet.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Net')]
    param(
        [Parameter(ParameterSetName = 'Net', Mandatory, Position = 0)][string]$TypeName,
        [Parameter(ParameterSetName = 'Com', Mandatory, Position = 0)][string]$ComObject,
        [Parameter(ParameterSetName = 'Net', Position = 1)][Alias('Args')][object[]]$ArgumentList,
        [Parameter(ParameterSetName = 'Com')][switch]$Strict,
        [System.Collections.IDictionary]$Property
    )
    if ($PSCmdlet.ParameterSetName -eq 'Net' -and $TypeName -match '^(?:System\.Security\.AccessControl\.)?FileSecurity$' -and
        ($null -eq $ArgumentList -or $ArgumentList.Count -eq 0) -and $null -eq $Property -and (Test-SimHostActive)) {
        return New-SimFileSecurity
    }
    # The Task Scheduler's COM object (TaskScheduler.ps1).
    if ($PSCmdlet.ParameterSetName -eq 'Com' -and $ComObject -eq 'Schedule.Service' -and (Test-SimHostActive)) { return New-SimTaskService }
    if ($PSCmdlet.ParameterSetName -eq 'Net' -and $TypeName -match '^(?:System\.Security\.Cryptography\.X509Certificates\.)?X509Store$' -and (Test-SimHostActive)) {
        return New-SimX509Store -ArgumentList @($ArgumentList)
    }
    Microsoft.PowerShell.Utility\New-Object @PSBoundParameters
}
