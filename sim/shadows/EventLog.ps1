# Follows: Microsoft Learn Write-EventLog (Microsoft.PowerShell.Management 5.1) and its error for an unregistered source.
# Event Log shadows: Write-EventLog appends to the working copy's `eventLog` array, one
# { LogName, Source, EventId, EntryType, Category, Message, TimeWritten } per event, so tests can
# assert what the agent wrote. As on Windows, the source must be registered for that log: the key
# HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\<LogName>\<Source> must exist in `registry`.

function Write-EventLog {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][Alias('LN')][string]$LogName,
        [Parameter(Mandatory, Position = 1)][Alias('SRC')][string]$Source,
        [Parameter(Position = 3)][Alias('ET')][System.Diagnostics.EventLogEntryType]$EntryType = 'Information',
        [int16]$Category = 1,
        [Parameter(Mandatory, Position = 2)][Alias('ID', 'EID')][ValidateRange(0, 65535)][int]$EventId,
        [Parameter(Mandatory, Position = 4)][Alias('MSG')][ValidateLength(0, 32766)][string]$Message,
        [Alias('RD')][byte[]]$RawData,
        [Alias('CN')][string]$ComputerName = '.'
    )
    Invoke-SimFault -Command 'Write-EventLog'
    if ($null -eq (Find-SimRegistryKey "HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\$LogName\$Source")) {
        throw [System.InvalidOperationException]::new("The source name `"$Source`" does not exist on computer `"localhost`". (simulated)")
    }
    $state = Get-SimState
    $events = [System.Collections.Generic.List[object]]::new()
    if ($state.Contains('eventLog') -and $null -ne $state['eventLog']) { foreach ($old in $state['eventLog']) { $events.Add($old) } }
    $events.Add([ordered]@{
        LogName     = $LogName
        Source      = $Source
        EventId     = $EventId
        EntryType   = [string]$EntryType
        Category    = [int]$Category
        Message     = $Message
        TimeWritten = [datetime]::UtcNow.ToString('o')
    })
    $state['eventLog'] = $events.ToArray()
    Save-SimState -State $state
}
