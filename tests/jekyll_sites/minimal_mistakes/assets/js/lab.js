console.log('lab');
