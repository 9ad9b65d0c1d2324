# The fix folder of the fix framework (RdpHealth.Fix.psm1): where fix results and undo records go
# (%ProgramData%\RDP Health\fixes, admin-owned, users read; RDP_HEALTH_FIX_ROOT in the simulated host),
# the record ids that name them, and the JSON files themselves.
# Windows PowerShell 5.1 syntax only: this file runs elevated on every Windows host as shipped.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')

# SYSTEM and Administrators full control, Users read: the agent (a user) reads results, only admins write.
$script:FixFolderSddl = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)'
$script:AdminOwnerSids = @('S-1-5-32-544', 'S-1-5-18')
# Fixes of the user's own files (an .rdp file in Documents) run as that user, never elevated (an elevated
# admin may be another account, with another Documents): their results and undo records go to the
# user's own %LOCALAPPDATA%\RDP Health\fixes. The fix id says which: this is the one rule.
$script:UserScopeFixIdPattern = '^rdp-file\.'

function Get-RdpFixScope {
    <#
    .SYNOPSIS
    'User' for a fix of the user's own files (run unelevated, records in the user's folder), else 'Machine'.
    .DESCRIPTION
    From -FixId, or from -RecordId (which names its fix: <time>-<fix id with _ for .>-<hex>).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([string]$FixId, [string]$RecordId)
    if ($RecordId) { $FixId = Get-RdpFixIdOfRecord -RecordId $RecordId }
    if ($FixId -match $script:UserScopeFixIdPattern) { return 'User' }
    'Machine'
}

function Get-RdpFixIdOfRecord {
    <#
    .SYNOPSIS
    The fix id a record id names (<time>-<fix id with _ for .>-<hex>), or '' when it names none.
    .DESCRIPTION
    The time stamp and the hex suffix hold no '-', so the fix id lies between the first and the last
    one: no second copy of the record id pattern (the agent's fixIdOfRecord reads it the same way).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][AllowEmptyString()][string]$RecordId)
    $first = $RecordId.IndexOf('-')
    $last = $RecordId.LastIndexOf('-')
    if ($first -lt 0 -or $last -le $first) { return '' }
    $RecordId.Substring($first + 1, $last - $first - 1).Replace('_', '.')
}

function Test-RdpWindowsHost {
    <#
    .SYNOPSIS
    True on Windows (always true in Windows PowerShell 5.1).
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param()
    if ($PSVersionTable.PSEdition -ne 'Core') { return $true }
    [bool](Get-Variable -Name 'IsWindows' -ValueOnly)
}

function Get-RdpFixRoot {
    <#
    .SYNOPSIS
    The folder for fix results and undo records: %ProgramData%\RDP Health\fixes, or RDP_HEALTH_FIX_ROOT
    when set off Windows (the simulated host and the tests point it at a data folder).
    .DESCRIPTION
    On Windows RDP_HEALTH_FIX_ROOT is ignored: a user can set it in HKCU\Environment, an elevated
    process inherits it, and the fix would then read undo records from a folder the user controls.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([ValidateSet('Machine', 'User')][string]$Scope = 'Machine')
    if ($Scope -eq 'User') { return Get-RdpUserFixRoot }
    if ($env:RDP_HEALTH_FIX_ROOT -and -not (Test-RdpWindowsHost)) { return $env:RDP_HEALTH_FIX_ROOT }
    $programData = Get-RdpProgramDataFolder
    if (-not $programData) { throw (New-RdpProbeError -Kind 'unsupported' -Message 'The ProgramData folder could not be read from the operating system (PowerShell may be in ConstrainedLanguage mode).') }
    # Concatenated, not Join-Path: Join-Path resolves the drive, and the path is Windows-only anyway.
    "$programData\RDP Health\fixes"
}

function Get-RdpUserFixRoot {
    <#
    .SYNOPSIS
    The folder for the records of fixes of the user's own files: %LOCALAPPDATA%\RDP Health\fixes (from the
    operating system), or RDP_HEALTH_USER_FIX_ROOT off Windows (the simulated host and the tests).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param()
    if (-not (Test-RdpWindowsHost)) {
        if (-not $env:RDP_HEALTH_USER_FIX_ROOT) { throw (New-RdpProbeError -Kind 'unsupported' -Message 'RDP_HEALTH_USER_FIX_ROOT names no folder for this user''s fix records.') }
        return $env:RDP_HEALTH_USER_FIX_ROOT
    }
    try { $local = [Environment]::GetFolderPath([Environment+SpecialFolder]::LocalApplicationData) } catch { $local = $null }
    if ([string]::IsNullOrEmpty($local)) { throw (New-RdpProbeError -Kind 'unsupported' -Message 'The user''s local application data folder could not be read from the operating system.') }
    "$local\RDP Health\fixes"
}

function Get-RdpProgramDataFolder {
    <#
    .SYNOPSIS
    %ProgramData% as the operating system knows it: [Environment]::GetFolderPath('CommonApplicationData'),
    never $env:ProgramData (a user can set that in HKCU\Environment and an elevated process inherits it).
    .DESCRIPTION
    $null on Windows when the call is unavailable (ConstrainedLanguage): callers refuse rather than guess.
    Off Windows (the simulated host) the scenario's $env:ProgramData.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param()
    if (-not (Test-RdpWindowsHost)) { return [string]$env:ProgramData }
    try { $folder = [Environment]::GetFolderPath([Environment+SpecialFolder]::CommonApplicationData) } catch { return $null }
    if ([string]::IsNullOrEmpty($folder)) { return $null }
    $folder
}

function Invoke-RdpSystemTool {
    <#
    .SYNOPSIS
    Runs a System32 tool (icacls.exe, certutil.exe, sc.exe, netsh.exe ...) by full path built from
    [Environment]::SystemDirectory, never through PATH (a planted icacls.exe earlier on PATH would run
    elevated). $LASTEXITCODE is the tool's.
    .DESCRIPTION
    Off Windows the simulated host's shadow of the tool (a function named like it) runs instead.
    .OUTPUTS
    System.String: the tool's output lines.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[a-z0-9]+\.exe$')][string]$Name,
        [string[]]$ArgumentList = @()
    )
    if (-not (Test-RdpWindowsHost)) {
        $shadow = Get-Command -Name @($Name, ($Name -replace '\.exe$', '')) -CommandType Function -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($null -eq $shadow) { throw (New-RdpProbeError -Kind 'unsupported' -Message "$Name is not available on this host.") }
        return & $shadow @ArgumentList
    }
    $systemDirectory = Get-RdpSystemDirectory
    if (-not $systemDirectory) { throw (New-RdpProbeError -Kind 'unsupported' -Message "The Windows system folder could not be read from the operating system; $Name was not run.") }
    & "$systemDirectory\$Name" @ArgumentList
}

function Get-RdpFixFilePath {
    <#
    .SYNOPSIS
    The path of one file of a fix run: result, undo record, or the result of undoing it.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId,
        [Parameter(Mandatory)][ValidateSet('result', 'undo', 'undo-result')][string]$Kind
    )
    Join-Path (Get-RdpFixRoot -Scope (Get-RdpFixScope -RecordId $RecordId)) "$RecordId.$Kind.json"
}

function Get-RdpSystemDirectory {
    <#
    .SYNOPSIS
    The System32 folder, from the operating system: [Environment]::SystemDirectory, never %SystemRoot% or
    %windir% (a user can override those in HKCU\Environment and an elevated process inherits them).
    .DESCRIPTION
    $null on Windows when the call is unavailable (ConstrainedLanguage): callers refuse rather than guess.
    Off Windows (the simulated host) "$env:SystemRoot\System32".
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param()
    if (-not (Test-RdpWindowsHost)) { return "$env:SystemRoot\System32" }
    try { $folder = [Environment]::SystemDirectory } catch { return $null }
    if ([string]::IsNullOrEmpty($folder)) { return $null }
    $folder
}

function Assert-RdpFixItemTrusted {
    <#
    .SYNOPSIS
    Throws (error kind access-denied) unless the fix folder or record file at Path is owned by
    BUILTIN\Administrators (S-1-5-32-544) or SYSTEM (S-1-5-18) and is not a reparse point (junction,
    symbolic link): anything else may have been planted by a user, and an elevated undo must not act on it.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path, [ValidateSet('Machine', 'User')][string]$Scope = 'Machine')
    $item = Get-Item -LiteralPath $Path -Force
    if (($item.Attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0) {
        throw (New-RdpProbeError -Kind 'access-denied' -Message "$Path is a link (reparse point), not a real file or folder; it cannot be trusted.")
    }
    $owner = (Get-Acl -LiteralPath $Path).GetOwner([System.Security.Principal.SecurityIdentifier]).Value
    # A user-scope record is undone with the user's own rights: the user's own files are theirs to trust, nobody else's.
    if ($Scope -eq 'User' -and $owner -eq [System.Security.Principal.WindowsIdentity]::GetCurrent().User.Value) { return }
    if (-not (Test-RdpAdminOwner -OwnerSid $owner)) {
        throw (New-RdpProbeError -Kind 'access-denied' -Message "$Path is owned by $owner, not by Administrators, SYSTEM or a member of Administrators; it cannot be trusted.")
    }
}

function Test-RdpAdminOwner {
    <#
    .SYNOPSIS
    True when an owner SID is BUILTIN\Administrators, SYSTEM, or an account that is a direct member of
    Administrators: with the policy "System objects: Default owner for objects created by members of the
    Administrators group" set to the creator (NoDefaultAdminOwner=1), a file written elevated is owned by
    the elevated user, not by Administrators.
    .DESCRIPTION
    -AdministratorSids: the members of Administrators (default: read from the host); given by the tests.
    Nested groups (a domain group inside Administrators) are not expanded: such an owner is not trusted.
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$OwnerSid,
        [string[]]$AdministratorSids
    )
    if ($script:AdminOwnerSids -contains $OwnerSid) { return $true }
    if (-not $PSBoundParameters.ContainsKey('AdministratorSids')) { $AdministratorSids = @(Get-RdpAdministratorsMemberSid) }
    @($AdministratorSids) -contains $OwnerSid
}

function Get-RdpAdministratorsMemberSid {
    <#
    .SYNOPSIS
    The SIDs of the direct members of BUILTIN\Administrators (found by SID: group names are localized);
    none when they cannot be listed (then only Administrators and SYSTEM count as admin owners).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param()
    if (-not (Get-Command -Name 'Get-LocalGroupMember' -ErrorAction SilentlyContinue)) { return }
    try {
        foreach ($member in @(Get-LocalGroupMember -SID 'S-1-5-32-544' -ErrorAction Stop)) { [string]$member.SID.Value }
    } catch {
        Write-Verbose "The members of Administrators could not be listed: $($_.Exception.Message)"
    }
}

function Set-RdpFixItemAdminOwner {
    <#
    .SYNOPSIS
    Makes BUILTIN\Administrators the owner of a file the framework wrote into the fix folder (only the
    owner is written), so the record is admin-owned even under NoDefaultAdminOwner=1. Windows only.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path)
    if (-not (Test-RdpWindowsHost)) { return }
    $security = New-Object System.Security.AccessControl.FileSecurity
    $security.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-544'))
    # Persists only the section that was set (the owner); the DACL stays as inherited.
    (Get-Item -LiteralPath $Path -Force).SetAccessControl($security)
}

function Initialize-RdpFixFolder {
    <#
    .SYNOPSIS
    Creates the fix folder (admin-owned, users may read) or checks that an existing one is admin-owned
    and not a junction: a folder a user could write into would let them plant an undo record an
    administrator then applies.
    .OUTPUTS
    System.String: the folder.
    #>
    [CmdletBinding()]
    param([ValidateSet('Machine', 'User')][string]$Scope = 'Machine')
    $root = Get-RdpFixRoot -Scope $Scope
    $created = $false
    if (-not (Test-Path -LiteralPath $root)) {
        $null = New-Item -ItemType Directory -Path $root -Force -WhatIf:$false -Confirm:$false
        $created = $true
    }
    if (-not (Test-RdpWindowsHost)) { return $root }
    # The user's own folder keeps what %LOCALAPPDATA% gives it (the user, SYSTEM, Administrators): only checked.
    if ($Scope -eq 'User') { Assert-RdpFixItemTrusted -Path $root -Scope User; return $root }
    $acl = Get-Acl -LiteralPath $root
    if ($created) {
        $acl.SetSecurityDescriptorSddlForm($script:FixFolderSddl)
        Set-Acl -LiteralPath $root -AclObject $acl -WhatIf:$false -Confirm:$false
        return $root
    }
    Assert-RdpFixItemTrusted -Path $root
    $root
}

function New-RdpFixRecordId {
    <#
    .SYNOPSIS
    A new record id: <UTC time>-<fix id with _ for .>-<8 hex>, e.g. 20250101T120000Z-nla_enable-1a2b3c4d
    (letters, digits, - and _ only: the id travels through IPC and names files).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidatePattern('^[a-z0-9-]+\.[a-z0-9-]+$')][string]$FixId)
    $stamp = (Get-Date).ToUniversalTime().ToString('yyyyMMddTHHmmssZ', [System.Globalization.CultureInfo]::InvariantCulture)
    $random = ([guid]::NewGuid().ToString('N')).Substring(0, 8)
    "$stamp-$($FixId.Replace('.', '_'))-$random"
}

function Write-RdpFixJsonFile {
    <#
    .SYNOPSIS
    Writes a document as JSON (temp file + move, so a reader never sees half a file). Never skipped by -WhatIf.
    -AdminOwned (files in the fix folder, written elevated): the owner is set to Administrators first.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)]$Document, [switch]$AdminOwned)
    $json = ConvertTo-Json -InputObject $Document -Depth 10
    $temp = "$Path.tmp"
    Set-Content -LiteralPath $temp -Value $json -Encoding UTF8 -WhatIf:$false -Confirm:$false
    if ($AdminOwned) { Set-RdpFixItemAdminOwner -Path $temp }
    Move-Item -LiteralPath $temp -Destination $Path -Force -WhatIf:$false -Confirm:$false
}

function Read-RdpFixJsonFile {
    <#
    .SYNOPSIS
    Reads a JSON document the framework wrote.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path)
    Get-Content -LiteralPath $Path -Raw -Encoding UTF8 | ConvertFrom-Json
}

Export-ModuleMember -Function Get-RdpFixScope, Get-RdpFixIdOfRecord, Get-RdpUserFixRoot, Test-RdpWindowsHost, Get-RdpSystemDirectory, Get-RdpProgramDataFolder, Invoke-RdpSystemTool, Test-RdpAdminOwner, Get-RdpAdministratorsMemberSid, Set-RdpFixItemAdminOwner, Assert-RdpFixItemTrusted, Get-RdpFixRoot, Get-RdpFixFilePath, Initialize-RdpFixFolder, New-RdpFixRecordId, Write-RdpFixJsonFile, Read-RdpFixJsonFile
