import ArgumentParser

/// `attach` and `show` read one source: a job of SYNAPSE_HOME, an event-log file, a console capture, or a
/// Ray job (by its submission id). One check, so both commands say the same thing.
func validateLogSource(job: String?, file: String?, console: String?, ray: RayOptions) throws {
    if ray.isSet {
        if job == nil || file != nil || console != nil {
            throw ValidationError("With --ray, give the job's submission id (and no --file / --console).")
        }
    } else if [job, file, console].compactMap({ $0 }).count != 1 {
        throw ValidationError("Give one of: a job id, --file PATH, --console PATH.")
    }
}
