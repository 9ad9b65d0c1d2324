#Requires -Version 5.1
<#
.SYNOPSIS
Records what the RDP Health checks read on this host into a scenario file for the simulated host.

.DESCRIPTION
Run on a real Windows host (Windows PowerShell 5.1 or 7, elevated or not): reads exactly the state the
simulated host's shadows model (sim/shadows) - the Remote Desktop, TLS and policy registry
keys, the CIM instances (Win32_TSGeneralSetting, Win32_TerminalServiceSetting, Win32_OperatingSystem,
the services the checks read and those sharing TermService's process, SecurityCenter2 firewall
products), the certificates of the Remote Desktop and My stores (public parts and where the key is;
never a private key), the key files' and store keys' ACLs, the inbound firewall rules with their filters, the
firewall and network profiles, the listening TCP sockets and their processes, the sessions (qwinsta),
the cipher suites and the certificate and Schannel events of the last 30 days - and writes them as a
scenario JSON (sim/scenarios format). What this identity cannot read is recorded as denied
(registryDenied, aclDenied, key.denied, or an access-denied fault for the command), never dropped.
Host names, user names, thumbprints and the MachineGuid are replaced consistently (the same value
everywhere it appears) unless -NoRedact. Attach the file to a bug report; `rdp-health check
--simulate <file>` then shows the same findings.

.PARAMETER OutFile
Where to write the scenario JSON (UTF-8).

.PARAMETER Description
The scenario's description; by default when and how it was exported.

.PARAMETER NoRedact
Keep host names, user names, thumbprints and the MachineGuid as they are.

.OUTPUTS
System.String. The path of the scenario file.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string]$OutFile,
    [string]$Description,
    [switch]$NoRedact
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.ScenarioExport.psm1') -Force

$script:Ts = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
$script:Schannel = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols'
$script:RegistryKeys = @(
    @{ Path = $script:Ts }
    @{ Path = "$script:Ts\WinStations"; Only = @('SelfSignedCertificate', 'SelfSignedCertStore') }
    @{ Path = "$script:Ts\WinStations\RDP-Tcp" }
    @{ Path = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' }
    @{ Path = 'HKLM:\SOFTWARE\Microsoft\Cryptography'; Only = @('MachineGuid') }
    @{ Path = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'; Only = @('EditionID', 'ProductName', 'CurrentBuild', 'DisplayVersion', 'InstallationType') }
    @{ Path = $script:Schannel }
    @{ Path = 'HKLM:\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL\00010002' }
    @{ Path = 'HKLM:\SOFTWARE\Policies\RDP Health' }
    @{ Path = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\RDP Health' }
)
foreach ($version in 'SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3') {
    foreach ($side in 'Server', 'Client') { $script:RegistryKeys += @{ Path = "$script:Schannel\$version\$side" } }
}
$script:Services = @('TermService', 'UmRdpService', 'SessionEnv', 'CertPropSvc', 'KeyIso', 'CryptSvc', 'MpsSvc', 'BFE')
$script:EventIds = @(1050..1065) + @(36870, 36871, 36872, 36874, 36888)

$scenario = [ordered]@{ description = $Description; host = [ordered]@{}; env = [ordered]@{}; registry = [ordered]@{}; registryDenied = @(); cim = [ordered]@{} }
$missing = New-Object System.Collections.ArrayList
$faults = [ordered]@{}

function Invoke-ExportRead {
    <#
    Runs one read. Denied -> an access-denied fault for the command (and $null); a missing command ->
    host.missingCommands; not found -> $null. Anything else is a real error and stops the export.
    #>
    param([Parameter(Mandatory)][string]$Command, [Parameter(Mandatory)][scriptblock]$Read)
    try { return , @(& $Read) } catch {
        if ($_.Exception -is [System.Management.Automation.CommandNotFoundException]) { $null = $missing.Add($Command); return $null }
        if (Test-ExportDenied $_) { $faults[$Command] = [ordered]@{ kind = 'access-denied' }; return $null }
        if ([string]$_.CategoryInfo.Category -eq 'ObjectNotFound') { return , @() }
        throw
    }
}

function Read-ExportRegistryKey {
    param([Parameter(Mandatory)][string]$Path, [string[]]$Only)
    try {
        $item = Get-ItemProperty -LiteralPath $Path -ErrorAction Stop
    } catch {
        if (Test-ExportDenied $_) { $scenario.registryDenied += $Path; return }
        if ([string]$_.CategoryInfo.Category -eq 'ObjectNotFound') { return }
        throw
    }
    if ($null -eq $item -and -not (Test-Path -LiteralPath $Path)) { return }
    $values = [ordered]@{}
    if ($null -ne $item) {
        foreach ($property in $item.PSObject.Properties) {
            if ($property.Name -like 'PS*') { continue }
            if ($Only -and $Only -notcontains $property.Name) { continue }
            $values[$property.Name] = ConvertTo-ExportValue $property.Value
        }
    }
    $scenario.registry[$Path] = $values
}

function Add-ExportCim {
    param([string]$Namespace, [string]$Class, [string]$Key, [string]$Filter, [string[]]$Only)
    $parameters = @{ Namespace = $Namespace; ClassName = $Class; ErrorAction = 'Stop' }
    if ($Filter) { $parameters['Filter'] = $Filter }
    $instances = Invoke-ExportRead -Command "Get-CimInstance:$Class" -Read { Get-CimInstance @parameters }
    if ($null -eq $instances -and $faults.Contains("Get-CimInstance:$Class") -and $Namespace -ne 'root/cimv2') {
        # A namespace refused to this identity (its own ACL): what host.adminOnly says.
        $faults.Remove("Get-CimInstance:$Class")
        if ($scenario.host.adminOnly.cimNamespaces -notcontains $Namespace) { $scenario.host.adminOnly.cimNamespaces += $Namespace }
    }
    if ($null -eq $instances) { return }
    $name = "$($Namespace.ToLowerInvariant()):$Class"
    $table = ConvertTo-ExportCimTable -Instances $instances -Key $Key -Only $Only
    if (-not $scenario.cim.Contains($name)) { $scenario.cim[$name] = [ordered]@{} }
    foreach ($instanceKey in $table.Keys) { $scenario.cim[$name][$instanceKey] = $table[$instanceKey] }
}

# ---------------------------------------------------------------- host, registry, CIM

$scenario.host['language'] = (Get-UICulture).Name
# -IncludeUserName needs elevation, so it tells whether this shell is elevated (on the simulated host too);
# the Windows token tells SYSTEM from an administrator, and UAC's deny-only Administrators from a standard user.
$elevated = $true
try { $null = Get-Process -Name 'winlogon' -IncludeUserName -ErrorAction SilentlyContinue } catch { $elevated = $false }
$scenario.host['identity'] = Get-ExportIdentity -Elevated $elevated
$scenario.host['adminOnly'] = [ordered]@{ cimNamespaces = @(); certificateStores = @() }
foreach ($name in 'ProgramData', 'SystemRoot', 'COMPUTERNAME') { $scenario.env[$name] = [Environment]::GetEnvironmentVariable($name) }
foreach ($key in $script:RegistryKeys) { Read-ExportRegistryKey -Path $key.Path -Only $key.Only }

Add-ExportCim -Namespace 'root/cimv2/TerminalServices' -Class 'Win32_TSGeneralSetting' -Key 'TerminalName' -Filter "TerminalName='RDP-Tcp'"
Add-ExportCim -Namespace 'root/cimv2/TerminalServices' -Class 'Win32_TerminalServiceSetting' -Key 'ServerName' -Only @('ServerName', 'AllowTSConnections', 'TerminalServerMode', 'LicensingType')
Add-ExportCim -Namespace 'root/cimv2' -Class 'Win32_OperatingSystem' -Key 'CSName' -Only @('CSName', 'Caption', 'Version', 'BuildNumber', 'OSLanguage', 'ProductType')
$serviceProperties = @('Name', 'State', 'StartMode', 'ProcessId', 'Started')
foreach ($service in $script:Services) { Add-ExportCim -Namespace 'root/cimv2' -Class 'Win32_Service' -Key 'Name' -Filter "Name='$service'" -Only $serviceProperties }
$services = $scenario.cim['root/cimv2:Win32_Service']
if ($null -ne $services -and $services.Contains('TermService') -and [int]$services['TermService']['ProcessId'] -gt 0) {
    Add-ExportCim -Namespace 'root/cimv2' -Class 'Win32_Service' -Key 'Name' -Filter "ProcessId=$([int]$services['TermService']['ProcessId'])" -Only $serviceProperties
}
# Client SKUs register third-party firewalls here; servers have no such namespace (not an error).
try {
    $products = @(Get-CimInstance -Namespace 'root/SecurityCenter2' -ClassName 'FirewallProduct' -ErrorAction Stop)
    $scenario.cim['root/securitycenter2:FirewallProduct'] = ConvertTo-ExportCimTable -Instances $products -Key 'instanceGuid' -Only @('displayName', 'instanceGuid', 'productState', 'pathToSignedProductExe')
} catch { Write-Verbose "root/SecurityCenter2 not read: $($_.Exception.Message)" }

# ---------------------------------------------------------------- certificates and key files

$scenario['certificates'] = [ordered]@{}
$stores = @('Remote Desktop', 'My')
$winStations = $scenario.registry["$script:Ts\WinStations"]
if ($null -ne $winStations -and $winStations.Contains('SelfSignedCertStore') -and $stores -notcontains [string]$winStations['SelfSignedCertStore']) { $stores += [string]$winStations['SelfSignedCertStore'] }
$keyFiles = @()
foreach ($store in $stores) {
    # The Cert: provider says "does not exist" for a store it may not open: X509Store tells the two apart.
    $opened = New-Object System.Security.Cryptography.X509Certificates.X509Store($store, 'LocalMachine')
    try {
        $opened.Open([System.Security.Cryptography.X509Certificates.OpenFlags]'ReadOnly, OpenExistingOnly')
    } catch {
        $inner = $_.Exception
        while ($null -ne $inner.InnerException) { $inner = $inner.InnerException }
        if ($inner.HResult -eq -2147024891) { $scenario.host.adminOnly.certificateStores += "LocalMachine\$store" }
        continue
    } finally { $opened.Close() }
    $certificates = Invoke-ExportRead -Command 'Get-ChildItem' -Read { Get-ChildItem -LiteralPath "Cert:\LocalMachine\$store" -ErrorAction Stop }
    if ($null -eq $certificates) { continue }
    $table = [ordered]@{}
    foreach ($certificate in @($certificates | Where-Object { $null -ne $_ -and $_.PSObject.Properties['Thumbprint'] })) {
        $entry = [ordered]@{
            Thumbprint = [string]$certificate.Thumbprint; Subject = [string]$certificate.Subject; Issuer = [string]$certificate.Issuer
            NotBefore = $certificate.NotBefore.ToUniversalTime().ToString('o'); NotAfter = $certificate.NotAfter.ToUniversalTime().ToString('o')
            HasPrivateKey = [bool]$certificate.HasPrivateKey; SerialNumber = [string]$certificate.SerialNumber; FriendlyName = [string]$certificate.FriendlyName
        }
        $key = Get-ExportKeyLocation -Certificate $certificate
        if ($null -ne $key) {
            $entry['key'] = $key
            if ($key.Contains('uniqueName')) { $keyFiles += @{ Provider = $key['provider']; Name = $key['uniqueName'] } }
        }
        $table[$entry.Thumbprint] = $entry
    }
    $scenario.certificates["LocalMachine\$store"] = $table
}
$machineGuid = $null
$crypto = $scenario.registry['HKLM:\SOFTWARE\Microsoft\Cryptography']
if ($null -ne $crypto -and $crypto.Contains('MachineGuid')) { $machineGuid = [string]$crypto['MachineGuid'] }
if ($machineGuid) { $keyFiles += @{ Provider = 'csp'; Name = "f686aace6942fb7f7ceb231212eef4a4_$machineGuid" } }

$scenario['files'] = [ordered]@{}
$cryptoRoot = ([string]$env:ProgramData).TrimEnd('\') + '\Microsoft\Crypto'
foreach ($keyFile in $keyFiles) {
    $folders = @("$cryptoRoot\RSA\MachineKeys")
    if ($keyFile.Provider -eq 'cng') { $folders = @("$cryptoRoot\Keys", "$cryptoRoot\RSA\MachineKeys") }
    foreach ($folder in $folders) {
        $path = "$folder\$($keyFile.Name)"
        if ($scenario.files.Contains($path)) { continue }
        try {
            $acl = Get-Acl -LiteralPath $path -ErrorAction Stop
        } catch {
            if (Test-ExportDenied $_) { $scenario.files[$path] = [ordered]@{ aclDenied = $true; acl = @() } }
            continue
        }
        $rules = @(foreach ($rule in @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]))) {
                $mask = [int64][int]$rule.FileSystemRights
                if ($mask -lt 0) { $mask += [int64]4294967296 }
                $rights = [string]$rule.FileSystemRights
                [ordered]@{
                    IdentityReference = [string]$rule.IdentityReference.Value
                    FileSystemRights  = $(if ($rights -match '^-?\d+$') { $mask } else { $rights })
                    AccessControlType = [string]$rule.AccessControlType
                    IsInherited       = [bool]$rule.IsInherited
                }
            })
        $file = [ordered]@{ owner = [string]$acl.GetOwner([System.Security.Principal.SecurityIdentifier]).Value; acl = $rules }
        if ($acl.AreAccessRulesProtected) { $file['protected'] = $true }
        $scenario.files[$path] = $file
    }
}

# The stores' registry keys: their ACL says whether Windows may add a new certificate (RegistryAcl.ps1).
$scenario['registryAcl'] = [ordered]@{}
foreach ($store in $stores) {
    foreach ($key in @("HKLM:\SOFTWARE\Microsoft\SystemCertificates\$store\Certificates", "HKLM:\SOFTWARE\Microsoft\SystemCertificates\$store")) {
        try { $acl = Get-Acl -LiteralPath $key -ErrorAction Stop } catch { continue }
        $rules = @(foreach ($rule in @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]))) {
                $mask = [int64][int]$rule.RegistryRights
                if ($mask -lt 0) { $mask += [int64]4294967296 }
                $rights = [string]$rule.RegistryRights
                [ordered]@{
                    IdentityReference = [string]$rule.IdentityReference.Value
                    RegistryRights    = $(if ($rights -match '^-?\d+$') { $mask } else { $rights })
                    AccessControlType = [string]$rule.AccessControlType
                    IsInherited       = [bool]$rule.IsInherited
                    InheritanceFlags  = [string]$rule.InheritanceFlags
                    PropagationFlags  = [string]$rule.PropagationFlags
                }
            })
        $scenario.registryAcl[$key] = [ordered]@{ owner = [string]$acl.GetOwner([System.Security.Principal.SecurityIdentifier]).Value; acl = $rules }
        break
    }
}

# ---------------------------------------------------------------- firewall

$firewall = [ordered]@{ rules = [ordered]@{}; profiles = [ordered]@{}; connectionProfiles = [ordered]@{} }
# -TracePolicyStore: only then does the ActiveStore say where each rule comes from.
$rules = Invoke-ExportRead -Command 'Get-NetFirewallRule' -Read { Get-NetFirewallRule -PolicyStore ActiveStore -TracePolicyStore }
if ($null -ne $rules) {
    $filters = @{}
    foreach ($kind in 'Port', 'Application', 'Service', 'Address') {
        $filters[$kind] = @{}
        $read = Invoke-ExportRead -Command "Get-NetFirewall$($kind)Filter" -Read { & "Get-NetFirewall$($kind)Filter" -All -PolicyStore ActiveStore }
        foreach ($filter in @($read | Where-Object { $null -ne $_ })) { $filters[$kind][[string]$filter.InstanceID] = $filter }
    }
    foreach ($rule in @($rules | Where-Object { $null -ne $_ })) {
        $rdp = [string]$rule.Name -like 'RemoteDesktop-*' -or [string]$rule.Group -like '*FirewallAPI.dll,-28752'
        if (-not $rdp -and [string]$rule.Direction -ne 'Inbound') { continue }
        $id = [string]$rule.InstanceID
        $entry = [ordered]@{}
        foreach ($name in 'Name', 'DisplayName', 'Group', 'DisplayGroup', 'Enabled', 'Profile', 'Direction', 'Action', 'PolicyStoreSourceType') {
            if ($null -ne $rule.$name) { $entry[$name] = [string]$rule.$name }
        }
        $port = $filters.Port[$id]; $application = $filters.Application[$id]; $service = $filters.Service[$id]; $address = $filters.Address[$id]
        if ($null -ne $port) { $entry['Protocol'] = [string]$port.Protocol; $entry['LocalPort'] = ConvertTo-ExportList $port.LocalPort; $entry['RemotePort'] = ConvertTo-ExportList $port.RemotePort }
        if ($null -ne $application) { $entry['Program'] = [string]$application.Program }
        if ($null -ne $service) { $entry['Service'] = [string]$service.Service }
        if ($null -ne $address) { $entry['LocalAddress'] = ConvertTo-ExportList $address.LocalAddress; $entry['RemoteAddress'] = ConvertTo-ExportList $address.RemoteAddress }
        $firewall.rules[[string]$rule.Name] = $entry
    }
}
$profiles = Invoke-ExportRead -Command 'Get-NetFirewallProfile' -Read { Get-NetFirewallProfile -PolicyStore ActiveStore }
foreach ($firewallProfile in @($profiles | Where-Object { $null -ne $_ })) {
    $entry = [ordered]@{}
    foreach ($name in 'Name', 'Enabled', 'DefaultInboundAction', 'AllowInboundRules', 'AllowLocalFirewallRules') { $entry[$name] = [string]$firewallProfile.$name }
    $firewall.profiles[[string]$firewallProfile.Name] = $entry
}
$connections = Invoke-ExportRead -Command 'Get-NetConnectionProfile' -Read { Get-NetConnectionProfile }
foreach ($connection in @($connections | Where-Object { $null -ne $_ })) {
    $firewall.connectionProfiles[[string]$connection.InterfaceAlias] = [ordered]@{
        Name = [string]$connection.Name; InterfaceAlias = [string]$connection.InterfaceAlias
        InterfaceIndex = [int]$connection.InterfaceIndex; NetworkCategory = [string]$connection.NetworkCategory
    }
}
$scenario['firewall'] = $firewall

# ---------------------------------------------------------------- sockets, processes, sessions

$tcp = [ordered]@{}
$sockets = Invoke-ExportRead -Command 'Get-NetTCPConnection' -Read { Get-NetTCPConnection -State Listen -ErrorAction Stop }
if ($missing -contains 'Get-NetTCPConnection' -or $faults.Contains('Get-NetTCPConnection')) {
    # Read the way the listener check then reads them: netstat, by column position, listening rows only.
    $sockets = @(foreach ($protocol in 'TCP', 'TCPv6') {
            foreach ($line in @(netstat -ano -p $protocol)) {
                $fields = @(([string]$line).Trim() -split '\s+')
                if ($fields.Count -lt 4 -or $fields[0] -ne 'TCP' -or $fields[-1] -notmatch '^\d+$') { continue }
                if ($fields[2] -ne '0.0.0.0:0' -and $fields[2] -ne '[::]:0') { continue }
                if ($fields[1] -notmatch '^\[?(.*?)\]?:(\d+)$') { continue }
                [PSCustomObject]@{ LocalAddress = $Matches[1]; LocalPort = [int]$Matches[2]; OwningProcess = [int]$fields[-1] }
            }
        })
}
foreach ($socket in @($sockets | Where-Object { $null -ne $_ })) {
    $remote = '0.0.0.0'
    if (([string]$socket.LocalAddress).Contains(':')) { $remote = '::' }
    $tcp["$($socket.LocalAddress):$($socket.LocalPort)"] = [ordered]@{
        LocalAddress = [string]$socket.LocalAddress; LocalPort = [int]$socket.LocalPort; RemoteAddress = $remote; RemotePort = 0
        State = 'Listen'; OwningProcess = [int]$socket.OwningProcess
    }
}
$scenario['tcp'] = $tcp

$processIds = @(@($tcp.Values | ForEach-Object { [int]$_['OwningProcess'] }) + @($scenario.cim['root/cimv2:Win32_Service'].Values | ForEach-Object { [int]$_['ProcessId'] }) | Sort-Object -Unique)
$scenario['processes'] = [ordered]@{}
foreach ($processId in $processIds) {
    $process = Get-Process -Id $processId -ErrorAction SilentlyContinue
    if ($null -ne $process) { $scenario.processes["$processId"] = [ordered]@{ Id = $processId; ProcessName = [string]@($process)[0].ProcessName } }
}

# qwinsta by column position (name 1-18, user 19-40, id 41-45; header and state words are localized).
$sessions = [ordered]@{}
$remoteApp = @(Get-Process -Name 'rdpshell' -ErrorAction SilentlyContinue | ForEach-Object { [int]$_.SessionId })
$owners = @{}
if ($elevated) {
    foreach ($shell in @(Get-Process -Name 'explorer', 'rdpshell' -IncludeUserName -ErrorAction SilentlyContinue)) { $owners[[int]$shell.SessionId] = [string]$shell.UserName }
}
$lines = Invoke-ExportRead -Command 'qwinsta' -Read { qwinsta }
foreach ($line in @($lines | Select-Object -Skip 1)) {
    $row = ([string]$line).PadRight(60)
    $id = 0
    if (-not [int]::TryParse($row.Substring(41, 5).Trim(), [ref]$id) -or $id -le 0 -or $id -ge 65536) { continue }
    $station = $row.Substring(1, 18).Trim()
    $user = $row.Substring(19, 22).Trim()
    if ($owners.ContainsKey($id)) { $user = $owners[$id] }
    $state = 'Active'
    if (-not $station) { $state = 'Disconnected' }
    $session = [ordered]@{ SessionId = $id; UserName = $user; State = $state; WinStationName = $station }
    if ($remoteApp -contains $id) { $session['remoteApp'] = $true }
    $sessions["$id"] = $session
}
$scenario['sessions'] = $sessions

# ---------------------------------------------------------------- TLS and events

$scenario['tls'] = [ordered]@{}
try {
    $scenario.tls['cipherSuites'] = @(foreach ($suite in @(Get-TlsCipherSuite)) {
            $entry = [ordered]@{}
            foreach ($name in 'Name', 'Cipher', 'CipherLength', 'Exchange', 'Certificate', 'CipherSuite') { if ($null -ne $suite.$name) { $entry[$name] = $suite.$name } }
            $entry['Protocols'] = @(@($suite.Protocols) | Where-Object { $null -ne $_ } | ForEach-Object { [int]$_ })
            $entry
        })
} catch [System.Management.Automation.CommandNotFoundException] {
    Write-Verbose 'No TLS module on this host: recorded as no cipher suite list.'
}

$filter = @{ LogName = 'System'; Id = $script:EventIds; StartTime = (Get-Date).AddDays(-30) }
$events = Invoke-ExportRead -Command 'Get-WinEvent' -Read { Get-WinEvent -FilterHashtable $filter -MaxEvents 500 -ErrorAction Stop }
$scenario['events'] = @(foreach ($record in @($events | Where-Object { $null -ne $_ })) {
        [ordered]@{
            LogName = [string]$record.LogName; ProviderName = [string]$record.ProviderName; Id = [int]$record.Id
            TimeCreated = $record.TimeCreated.ToUniversalTime().ToString('o'); Level = [int]$record.Level; Message = [string]$record.Message
        }
    })

$scenario.host['missingCommands'] = @($missing | Sort-Object -Unique)
$scenario['faults'] = $faults
if (-not $Description) {
    $Description = "Exported by Export-RdpHealthScenario.ps1 on $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC (identity: $($scenario.host['identity']), redacted: $(-not $NoRedact))."
}
$scenario.description = $Description

# ---------------------------------------------------------------- redaction and output

function Get-ExportReplacement {
    <# Every value to hide -> its stand-in: host and network names, user and domain names, the MachineGuid. #>
    $map = [ordered]@{}
    $hosts = @($scenario.env['COMPUTERNAME'])
    foreach ($class in 'root/cimv2:Win32_OperatingSystem', 'root/cimv2/terminalservices:Win32_TerminalServiceSetting') {
        if ($scenario.cim.Contains($class)) { $hosts += @($scenario.cim[$class].Keys) }
    }
    foreach ($name in @($hosts | Sort-Object -Unique)) { if (-not $map.Contains($name)) { $map[$name] = "HOST$($map.Count + 1)" } }
    $networks = @($scenario.firewall.connectionProfiles.Values | ForEach-Object { [string]$_['Name'] } | Where-Object { $_ } | Sort-Object -Unique)
    $index = 0
    foreach ($name in $networks) { $index++; if (-not $map.Contains($name)) { $map[$name] = "network$index" } }
    $index = 0
    foreach ($user in @($scenario.sessions.Values | ForEach-Object { [string]$_['UserName'] } | Where-Object { $_ } | Sort-Object -Unique)) {
        $parts = $user -split '\\'
        if ($parts.Count -eq 2 -and -not $map.Contains($parts[0])) { $map[$parts[0]] = "DOMAIN$($map.Count + 1)" }
        $index++
        if (-not $map.Contains($parts[-1])) { $map[$parts[-1]] = "user$index" }
    }
    if ($machineGuid) { $map[$machineGuid] = [guid]::NewGuid().ToString() }
    $map
}

$json = ConvertTo-Json -InputObject $scenario -Depth 20
if (-not $NoRedact) { $json = Protect-ExportText -Text $json -Map (Get-ExportReplacement) }
$path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
[System.IO.File]::WriteAllText($path, $json, (New-Object System.Text.UTF8Encoding $false))
$path
