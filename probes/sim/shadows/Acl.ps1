# File ACL shadow: Get-Acl for the Windows paths listed in the scenario's `files` section:
#   "files": { "C:\\ProgramData\\...\\MachineKeys\\<name>": { "owner": "S-1-5-18",
#     "acl": [ { "IdentityReference": "S-1-5-20", "FileSystemRights": "Read, Synchronize",
#                "AccessControlType": "Allow", "IsInherited": false } ], "aclDenied": false } }
# A Windows path (C:\...) not listed there does not exist (ItemNotFoundException); `aclDenied`
# throws UnauthorizedAccessException. Other paths go to the real Get-Acl. The returned object has
# FileSecurity's GetAccessRules(includeExplicit, includeInherited, targetType) and GetOwner(targetType);
# the simulated host answers by SID only (RDP-FACTS.md: never read ACLs by account name).
# Fault: 'Get-Acl'.

function Test-SimFilePath {
    param([string]$Path)
    $Path -match '^(?:Microsoft\.PowerShell\.Core\\FileSystem::)?[A-Za-z]:\\'
}

function Find-SimFile {
    <# The scenario's spelling of a file path, or $null when the file does not exist. #>
    param([Parameter(Mandatory)][string]$Path)
    $wanted = $Path -replace '^Microsoft\.PowerShell\.Core\\FileSystem::', '' -replace '/', '\'
    foreach ($key in (Get-SimSection -Key 'files').Keys) { if ($key -ieq $wanted) { return $key } }
    $null
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
    param([Parameter(Mandatory)][string]$Key, [Parameter(Mandatory)]$Spec)
    $rules = @(foreach ($ruleSpec in @($Spec['acl'])) { if ($null -ne $ruleSpec) { New-SimAccessRule $ruleSpec } })
    $owner = if ($Spec.Contains('owner')) { [string]$Spec['owner'] } else { 'S-1-5-32-544' }
    $acl = [PSCustomObject][ordered]@{
        Path   = "Microsoft.PowerShell.Core\FileSystem::$Key"
        Owner  = $owner
        Group  = 'S-1-5-18'
        Access = $rules
    }
    $acl.PSObject.TypeNames.Insert(0, 'System.Security.AccessControl.FileSecurity')
    $acl | Add-Member -MemberType NoteProperty -Name SimOwner -Value $owner
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
        New-SimSecurityIdentifier $this.SimOwner
    }
    $acl
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
        if ($paths.Count -eq 0 -or -not (Test-SimFilePath $paths[0])) {
            Microsoft.PowerShell.Security\Get-Acl @PSBoundParameters
            return
        }
        Invoke-SimFault -Command 'Get-Acl'
        foreach ($one in $paths) {
            $key = Find-SimFile -Path $one
            if ($null -eq $key) {
                $exception = [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$one' because it does not exist.")
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'PathNotFound', 'ObjectNotFound', $one))
                continue
            }
            $spec = (Get-SimSection -Key 'files')[$key]
            if ($spec.Contains('aclDenied') -and $spec['aclDenied']) {
                $exception = [System.UnauthorizedAccessException]::new("Attempted to perform an unauthorized operation. (simulated: $key)")
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'System.UnauthorizedAccessException,Microsoft.PowerShell.Commands.GetAclCommand', 'PermissionDenied', $one))
                continue
            }
            New-SimFileSecurity -Key $key -Spec $spec
        }
    }
}
