import '@testing-library/preact';
